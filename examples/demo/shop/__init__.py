"""A tiny shop service used to show asyncmod at work."""
