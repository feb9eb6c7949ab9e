/* The controller's options: defaults, the range of every numeric option,
 * strict parsing of numbers, and the seconds-to-milliseconds conversion
 * every timer uses. One table of ranges serves ken_controller_start (through
 * ken_controller_options_validate) and ken-manager (its command line and
 * config files), so the library and the tool accept the same values. */
#ifndef KEN_CONTROLLER_OPTIONS_H
#define KEN_CONTROLLER_OPTIONS_H

#include <stddef.h>
#include <stdint.h>

#include "ken/controller.h"

/* What a numeric option holds; it decides the C type of its field, how it
 * parses and how its range reads in a message. */
enum ken_option_kind {
    KEN_OPTION_SECONDS,   /* double; a decimal number */
    KEN_OPTION_PORT,      /* int; KEN_PORT_UNSET is allowed in the struct */
    KEN_OPTION_COUNT,     /* unsigned; a whole number */
    KEN_OPTION_BYTES,     /* size_t; a whole number */
    KEN_OPTION_LOG_LEVEL, /* int; ken-manager's, not in the struct */
};

struct ken_option_range {
    const char *name;           /* OS-Ken's name, words joined by '_' */
    enum ken_option_kind kind;
    double min, max;            /* inclusive */
    ptrdiff_t field;            /* offset in ken_controller_options, or -1 */
};

/* The range of the option called name (words joined by '_' or '-'), or
 * NULL when it is not a numeric option. */
const struct ken_option_range *ken_option_range_find(const char *name);

/* The accepted values in words, for messages and --help:
 * "a number of seconds from 0.01 to 86400". */
void ken_option_describe(const struct ken_option_range *r, char *out, size_t n);

/* Parses text as a value of r: strict syntax (no white space, sign '+',
 * hex or leading zeros in whole numbers; no inf or nan), then the range.
 * Returns 0 with *value set, else EINVAL (not a number of that kind) or
 * ERANGE (outside the range). A log level here is its number only. */
int ken_option_parse(const struct ken_option_range *r, const char *text, double *value);

/* Strict base-10 integer: an optional '-', then 0 or digits without a
 * leading zero, nothing else. Returns 0, EINVAL (not such an integer) or
 * ERANGE (outside [min, max]). The one integer parser of every option and
 * of the port in a switch address. */
int ken_parse_integer(const char *text, long long min, long long max, long long *value);

/* The largest timer ken_seconds_to_ms returns: about 285,000 years, small
 * enough that adding it to a monotonic clock reading never wraps. */
#define KEN_MS_MAX ((uint64_t)1 << 53)

/* Seconds to whole milliseconds, rounded to nearest, for any double: NaN
 * and negative values give 0, values too large (and +inf) KEN_MS_MAX. */
uint64_t ken_seconds_to_ms(double seconds);

/* Logs a WARNING for each configuration that leaves switches unverified:
 * a TLS listener or an ssl: switch address without ca_certs. */
void ken_controller_options_warn(const struct ken_controller_options *o);

#endif
