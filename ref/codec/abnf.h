/*
 * The character classes HTTP's grammar is built from, defined once for
 * every codec: tchar (RFC 9110 §5.6.2), OWS (§5.6.3), HEXDIG, DIGIT and
 * CTL (RFC 5234 Appendix B.1). Pure lookups, inlined where they are used.
 */
#ifndef GH_CODEC_ABNF_H
#define GH_CODEC_ABNF_H

/* clang-format off */
#define ABNF_T16(a) a, a, a, a, a, a, a, a, a, a, a, a, a, a, a, a
/*
 * tchar: "!#$%&'*+-.^_`|~", DIGIT, ALPHA. A table, because field names
 * are scanned byte by byte on the request hot path.
 */
static const unsigned char abnf_tchar[256] = {
	ABNF_T16(0), ABNF_T16(0),
	/*   ! " # $ % & ' ( ) * + , - . / */
	0, 1, 0, 1, 1, 1, 1, 1, 0, 0, 1, 1, 0, 1, 1, 0,
	/* 0-9 : ; < = > ? */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0,
	/* @ A-O */
	0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	/* P-Z [ \ ] ^ _ */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 1, 1,
	/* ` a-o */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	/* p-z { | } ~ DEL */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 0, 1, 0,
	ABNF_T16(0), ABNF_T16(0), ABNF_T16(0), ABNF_T16(0),
	ABNF_T16(0), ABNF_T16(0), ABNF_T16(0), ABNF_T16(0),
};
/*
 * field-vchar / SP / HTAB (RFC 9110 §5.5): every byte but CTLs and DEL;
 * obs-text (0x80-0xFF) is allowed. H1-FIELD-6. Also the reason-phrase
 * set (RFC 9112 §4).
 */
static const unsigned char abnf_field_char[256] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0,
	ABNF_T16(0),
	ABNF_T16(1), ABNF_T16(1), ABNF_T16(1), ABNF_T16(1), ABNF_T16(1),
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0,
	ABNF_T16(1), ABNF_T16(1), ABNF_T16(1), ABNF_T16(1), ABNF_T16(1), ABNF_T16(1), ABNF_T16(1), ABNF_T16(1),
};
#undef ABNF_T16
/* clang-format on */

static inline int
abnf_is_tchar(unsigned char c)
{
	return abnf_tchar[c];
}

/* OWS is made of SP and HTAB. */
static inline int
abnf_is_ws(unsigned char c)
{
	return c == ' ' || c == '\t';
}

static inline int
abnf_is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

/* CTL: 0x00-0x1F and DEL. */
static inline int
abnf_is_ctl(unsigned char c)
{
	return c < 0x20 || c == 0x7f;
}

/* The value of a HEXDIG (either case), or -1. */
static inline int
abnf_hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

#endif
