/* words.h - splitting a command line into space-separated words (the hv's
 * options and GRUB module strings). */
#ifndef LIB_WORDS_H
#define LIB_WORDS_H
#include <stddef.h>

/* Skip spaces at *s, set *word to the next word and *s past it; returns
 * the word's length (0 at the end of the string). */
static inline size_t next_word(const char **s, const char **word)
{
    while (**s == ' ')
        (*s)++;
    *word = *s;
    while (**s && **s != ' ')
        (*s)++;
    return (size_t)(*s - *word);
}

#endif
