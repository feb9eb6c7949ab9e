/* Runs a libFuzzer target over files without libFuzzer, so that every
 * build (not only a clang fuzz build) replays the saved inputs: each
 * argument is a file or a directory of files. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return 1;
    }
    static uint8_t buf[1 << 20];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    LLVMFuzzerTestOneInput(buf, n); /* aborts on a disagreement */
    return 0;
}

int main(int argc, char **argv)
{
    int failed = 0, n = 0;
    for (int i = 1; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st))
            continue; /* an optional corpus that is absent */
        if (!S_ISDIR(st.st_mode)) {
            failed += run_file(argv[i]);
            n++;
            continue;
        }
        DIR *d = opendir(argv[i]);
        struct dirent *de;
        while (d && (de = readdir(d))) {
            char path[4096];
            snprintf(path, sizeof path, "%s/%s", argv[i], de->d_name);
            if (!stat(path, &st) && S_ISREG(st.st_mode)) {
                failed += run_file(path);
                n++;
            }
        }
        if (d)
            closedir(d);
    }
    printf("%d inputs replayed\n", n);
    return failed || !n;
}
