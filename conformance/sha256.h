/*
 * SHA-256 (FIPS 180-4), for comparing the body digest a probe reports with
 * the body gatecheck sent. Small and slow on purpose; pure.
 */
#ifndef GC_SHA256_H
#define GC_SHA256_H

#include <stddef.h>
#include <stdint.h>

struct sha256 {
	uint32_t h[8];
	uint64_t len;
	unsigned char buf[64];
	size_t n;
};

void sha256_init(struct sha256 *s);
void sha256_update(struct sha256 *s, const void *p, size_t len);
void sha256_final(struct sha256 *s, unsigned char out[32]);
/* out gets 64 lowercase hex digits and a NUL. */
void sha256_hex(const void *p, size_t len, char out[65]);

#endif
