#!/bin/sh
# Turns a tree-sitter query file into a C string constant:
#   embed-scm.sh NAME FILE.scm > FILE.scm.h
set -eu
name=$1
file=$2
printf '/* generated from %s; do not edit */\n' "$(basename "$file")"
printf 'static const char %s[] =\n' "$name"
sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/    "/' -e 's/$/\\n"/' "$file"
printf '    ;\n'
