// Lambda's provided.al2023 has glibc 2.34. Building on a newer glibc binds hypotf (used by the
// static Swift runtime) to its GLIBC_2.35 version, and the bootstrap would not load there.
// Defining hypotf here satisfies the runtime's reference inside the executable; it forwards to
// the baseline version that every glibc has.
#include "CGlibcCompat.h"
#include <features.h>

#if defined(__linux__) && defined(__GLIBC__)
#if defined(__x86_64__)
__asm__(".symver cglibccompat_hypotf_baseline, hypotf@GLIBC_2.2.5");
#define CGLIBCCOMPAT_PIN_HYPOTF 1
#elif defined(__aarch64__)
__asm__(".symver cglibccompat_hypotf_baseline, hypotf@GLIBC_2.17");
#define CGLIBCCOMPAT_PIN_HYPOTF 1
#endif
#endif

#ifdef CGLIBCCOMPAT_PIN_HYPOTF
float cglibccompat_hypotf_baseline(float x, float y);
float hypotf(float x, float y) { return cglibccompat_hypotf_baseline(x, y); }
#endif

void cglibccompat_link_anchor(void) {}
