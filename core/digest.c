/* SHA-256 through libcrypto's EVP interface: see digest.h. */
#include <stdio.h>

#include <openssl/evp.h>

#include "core/digest.h"
#include "core/mem.h"

void
berth_sha256_hex(const void *data, size_t len, char hex[BERTH_SHA256_HEX_LEN + 1])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int md_len = 0;

	if (EVP_Digest(data, len, md, &md_len, EVP_sha256(), NULL) != 1 || md_len != 32)
		berth_oom();
	for (unsigned i = 0; i < md_len; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	hex[BERTH_SHA256_HEX_LEN] = '\0';
}
