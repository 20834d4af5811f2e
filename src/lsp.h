/*
 * lsp: `asyncmod server`, a language server (LSP 3.17) on a pair of file
 * descriptors, for editors.
 *
 * It publishes a diagnostic per finding of each open Python document
 * (on open, change and save; cleared on close), offers a quick fix per
 * finding with a fix and a `source.fixAll.asyncmod` action, and reads the
 * configuration of each document's file as `check` does. Messages are
 * handled in order; those already waiting are read before each one, so a
 * request cancelled while it waits is answered with RequestCancelled and
 * several changes in a row are checked once.
 */
#ifndef ASYNCMOD_LSP_H
#define ASYNCMOD_LSP_H

#include <stdio.h>

/* Serves until the client's `exit`: returns 0 when `shutdown` came first,
 * 1 otherwise (also when the input ends). `log` gets the server's notes. */
int lsp_serve(int in, int out, FILE *log);

#endif
