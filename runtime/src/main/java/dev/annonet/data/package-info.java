/** In-memory data sets, the CSV reader and column scalers. */
package dev.annonet.data;
