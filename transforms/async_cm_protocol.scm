; AM303: a class; the check looks at its __aenter__ and __aexit__.
(class_definition
  body: (block) @body) @class
