/* Compiles the TOML grammar's external scanner as part of this build. */
#include <scanner.c>
