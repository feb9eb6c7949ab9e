/* See corpus.h. */
#include "corpus.h"

#include <dirent.h>
#include <stdio.h>
#include <string.h>

int corpus_each(const char *root, int (*check)(const char *path, const uint8_t *bytes, size_t n, void *arg),
                void *arg, int *total)
{
    static const char *const vers[] = {"of10", "of12", "of13", "of14", "of15"};
    DIR *probe = opendir(root);
    if (!probe)
        return -1;
    closedir(probe);
    int failed = 0;
    *total = 0;
    for (size_t v = 0; v < sizeof vers / sizeof vers[0]; v++) {
        char dir[4096];
        snprintf(dir, sizeof dir, "%s/%s", root, vers[v]);
        DIR *d = opendir(dir);
        if (!d)
            continue;
        struct dirent *e;
        while ((e = readdir(d))) {
            size_t l = strlen(e->d_name);
            if (l < 8 || strcmp(e->d_name + l - 7, ".packet"))
                continue;
            char path[8192];
            snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
            (*total)++;
            static uint8_t buf[65536 + 16]; /* a message, and bytes past it that some cases carry */
            FILE *f = fopen(path, "rb");
            if (!f) {
                failed++;
                continue;
            }
            size_t n = fread(buf, 1, sizeof buf, f);
            fclose(f);
            failed += check(path, buf, n, arg) != 0;
        }
        closedir(d);
    }
    return failed;
}
