/* main.c - the paipian command line (placeholder until the CLI lands). */
#include <stdio.h>
int main(void) { fprintf(stderr, "paipian: not built yet\n"); return 4; }
