/* Allocation that never fails (see xalloc.h). */
#include "runtime/xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

_Noreturn void ken_oom(void)
{
    static const char msg[] = "ken: out of memory\n";
    ssize_t r = write(STDERR_FILENO, msg, sizeof msg - 1); /* no allocation on the way out */
    (void)r;
    abort();
}

void *ken_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        ken_oom();
    return p;
}

void *ken_xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        ken_oom();
    return p;
}

void *ken_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        ken_oom();
    return q;
}

char *ken_xstrdup(const char *s)
{
    char *p = strdup(s);
    if (!p)
        ken_oom();
    return p;
}
