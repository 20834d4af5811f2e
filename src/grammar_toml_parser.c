/* Compiles the TOML grammar's generated parser as part of this build. */
#include <parser.c>
