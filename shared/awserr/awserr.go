// Package awserr classifies AWS API errors once, in one place, so that every
// check treats "not configured", "not there" and "not allowed to look" the
// same way: the first two are results, the last is an unknown, never a pass.
package awserr

import (
	"errors"
	"strings"

	"github.com/aws/smithy-go"
)

// Kind is what an error means to an audit.
type Kind int

// Kinds of error.
const (
	Other        Kind = iota // anything else: the call failed
	NotFound                 // the resource or configuration does not exist
	AccessDenied             // the auditor may not look: the signal is unknown
	Throttled                // try again later
)

func (k Kind) String() string {
	return [...]string{"other", "not-found", "access-denied", "throttled"}[k]
}

var notFound = map[string]bool{
	"NoSuchKey": true, "NoSuchBucket": true, "NotFound": true, "NoSuchBucketPolicy": true,
	"NoSuchPublicAccessBlockConfiguration": true, "OwnershipControlsNotFoundError": true,
	"NoSuchWebsiteConfiguration": true, "ResourceNotFound": true,
	"ResourceNotFoundException": true, "NoSuchAccessPoint": true,
}

var denied = map[string]bool{
	"AccessDenied": true, "AccessDeniedException": true, "UnauthorizedOperation": true,
	"AuthorizationError": true, "Forbidden": true,
}

var throttled = map[string]bool{
	"Throttling": true, "ThrottlingException": true, "TooManyRequestsException": true,
	"SlowDown": true, "RequestLimitExceeded": true,
}

// Classify says what err means. SageMaker reports a missing resource as a
// ValidationException whose message says it does not exist, so that message
// counts as NotFound too.
func Classify(err error) Kind {
	code := Code(err)
	switch {
	case err == nil:
		return Other
	case notFound[code]:
		return NotFound
	case denied[code]:
		return AccessDenied
	case throttled[code]:
		return Throttled
	case code == "ValidationException" && mentionsMissing(err):
		return NotFound
	default:
		return Other
	}
}

// Code returns the service's error code, or "" when err carries none.
func Code(err error) string {
	var api smithy.APIError
	if errors.As(err, &api) {
		return api.ErrorCode()
	}
	return ""
}

func mentionsMissing(err error) bool {
	msg := strings.ToLower(err.Error())
	return strings.Contains(msg, "does not exist") || strings.Contains(msg, "not found") ||
		strings.Contains(msg, "could not find")
}
