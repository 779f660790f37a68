/**
 * In-memory data sets, the CSV reader and column scalers; for language models, {@link
 * dev.annonet.data.CharVocabulary} (characters to token ids and back) and {@link
 * dev.annonet.data.TokenWindows} (next-token training windows and a held-out tail).
 */
package dev.annonet.data;
