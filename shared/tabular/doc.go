// Package tabular streams evaluation files column by column: CSV with a
// header row (RFC 4180: quoted fields, "" escapes, CRLF or LF), gzip
// compressed CSV or JSON Lines, JSON Lines, and Parquet. The fairness and
// drift engines read their inputs through it.
//
// A scan names the columns it needs; every record is projected onto them
// and handed to a Handler as a Row, whose values are byte slices into the
// read buffer (valid during the call only). Nothing is kept between rows,
// so memory stays constant whatever the number of rows, and the input can
// be any io.Reader: an S3 GetObject body is read as it streams.
//
// The CSV path is a byte-level parser of its own, because the engines must
// read hundreds of megabytes a second: it tests eight bytes at a time for
// the bytes that end fields, allocates nothing per record and slices values
// out of the read buffer, copying only fields that hold "" escapes or CRLF
// inside quotes. The input is read in one-megabyte blocks cut at record
// boundaries; a newline ends a record exactly when an even number of quotes
// precedes it, so blocks are cut right even when quoted fields hold
// newlines. Options.Workers goroutines (default GOMAXPROCS) take turns
// reading a block and parse it on the core that read it, each feeding its
// own Handler; what they write for every row is padded onto cache lines of
// its own, so two cores do not slow each other down. Counting handlers
// merge their totals after Scan returns; errors are reported for the
// earliest block, so the line named is the first bad line of the file, as
// a sequential reader would find it.
//
// Every error caused by the input is a badinput error naming the source,
// the 1-based line where the record starts and the column: a column absent
// from the header, a ragged row, a bare or unclosed quote, a JSON line that
// is not an object, a value Row.Float cannot read as a number.
//
// Interner turns the values of a categorical column into dense ids with one
// word comparison for short values, for handlers that count by category.
package tabular
