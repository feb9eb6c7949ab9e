/* One rule for running out of memory, everywhere in the runtime and the
 * controller: ken aborts, with one line on stderr (as Open vSwitch's
 * xmalloc). A controller that half-failed an allocation would otherwise
 * drop an event (a switch's DEAD state change) or a message and go on with
 * apps that believe something false; nothing sensible is left to do. */
#ifndef KEN_RUNTIME_XALLOC_H
#define KEN_RUNTIME_XALLOC_H

#include <stddef.h>

_Noreturn void ken_oom(void);
void *ken_xmalloc(size_t n);
void *ken_xcalloc(size_t n, size_t size);
void *ken_xrealloc(void *p, size_t n);
char *ken_xstrdup(const char *s);

#endif
