/*
 * SHA-256 digests (libcrypto), as lower-case hex: how a saved plan records
 * the inventory and the domain definitions it was made from, so that
 * 'berth apply --plan' can tell when they changed.
 */
#ifndef BERTH_CORE_DIGEST_H
#define BERTH_CORE_DIGEST_H

#include <stddef.h>

#define BERTH_SHA256_HEX_LEN 64

/* Writes the SHA-256 of data[0..len) to hex (65 bytes with the NUL).  Aborts
 * only if libcrypto cannot allocate. */
void berth_sha256_hex(const void *data, size_t len, char hex[BERTH_SHA256_HEX_LEN + 1]);

#endif /* BERTH_CORE_DIGEST_H */
