// Package badinput marks errors caused by the caller's input rather than by
// the program or the cloud, so that the command line can exit 2 and a Lambda
// handler can report the field at fault instead of retrying.
package badinput

import (
	"errors"
	"fmt"
	"strings"
)

// Error says where in the input something is wrong. Source is a file name,
// object URI or "event"; Line is 1-based (0 when not meaningful); Field names
// the column, JSON path or flag.
type Error struct {
	Source string
	Line   int
	Field  string
	Err    error
}

// Errorf builds an Error whose message is formatted like fmt.Errorf, so %w
// keeps the cause reachable through errors.Is and errors.As.
func Errorf(source string, line int, field, format string, args ...any) *Error {
	return &Error{Source: source, Line: line, Field: field, Err: fmt.Errorf(format, args...)}
}

func (e *Error) Error() string {
	var b strings.Builder
	if e.Source != "" {
		b.WriteString(e.Source)
	}
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
	}
	if e.Field != "" {
		if b.Len() > 0 {
			b.WriteString(": ")
		}
		b.WriteString(e.Field)
	}
	if b.Len() > 0 {
		b.WriteString(": ")
	}
	b.WriteString(e.Err.Error())
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// Is reports whether err, or anything it wraps, is a bad-input error.
func Is(err error) bool {
	var e *Error
	return errors.As(err, &e)
}
