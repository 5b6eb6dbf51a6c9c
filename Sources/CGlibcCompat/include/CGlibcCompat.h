// Keeps deployable bootstraps within Lambda provided.al2023's glibc (2.34); see glibc_compat.c.
void cglibccompat_link_anchor(void);
