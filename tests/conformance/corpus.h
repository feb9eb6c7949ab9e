/* The shared OS-Ken corpus (the .packet files of ../shared/conformance/ofp/of1X), walked
 * by the conformance tests. */
#ifndef KEN_TEST_CORPUS_H
#define KEN_TEST_CORPUS_H

/* Calls check(path, arg) for every .packet file under root's version
 * directories; returns how many check failed (its nonzero returns), with
 * *total the files seen, or -1 when root is absent (the caller skips: 77). */
int corpus_each(const char *root, int (*check)(const char *path, void *arg), void *arg, int *total);

#endif
