/* The codec's byte-order helpers are public: see ken/wire.h. */
#include "ken/wire.h"
