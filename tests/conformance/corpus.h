/* The shared OS-Ken corpus (the .packet files of ../shared/conformance/ofp/of1X), walked
 * by the conformance tests. */
#ifndef KEN_TEST_CORPUS_H
#define KEN_TEST_CORPUS_H

#include <stddef.h>
#include <stdint.h>

/* Calls check(path, bytes, n, arg) for every .packet file under root's
 * version directories (bytes: the file's, n of them); returns how many
 * failed (an unreadable file, or check's nonzero return), with *total the
 * files seen, or -1 when root is absent (the caller skips: 77). */
int corpus_each(const char *root, int (*check)(const char *path, const uint8_t *bytes, size_t n, void *arg),
                void *arg, int *total);

#endif
