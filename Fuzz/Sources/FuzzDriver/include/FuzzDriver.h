// libFuzzer's entry for a program with its own main (compiler-rt, FuzzerInterface.h). SwiftPM links an executable
// target's `main` to `<Target>_main`, so each fuzz target defines that symbol and hands over to libFuzzer here.
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
