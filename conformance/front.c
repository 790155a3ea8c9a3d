/* placeholder, replaced below */
#include "gc.h"
struct gc_case *
front_case_list(size_t *n)
{
	*n = 0;
	return 0;
}
