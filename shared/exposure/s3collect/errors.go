package s3collect

import (
	"errors"
	"strings"

	"github.com/aws/smithy-go"
)

// notConfigured are the codes by which S3 says a setting simply is not
// there. A missing bucket or access point is not among them: that is an
// error about the sweep, not a setting.
var notConfigured = map[string]bool{
	"OwnershipControlsNotFoundError": true,
}

var missingResource = map[string]bool{
	"NoSuchBucket": true, "NoSuchAccessPoint": true,
}

// classify sorts a call's error once for every call: nil and "" for a
// setting that is not configured, or the error code to record as unknown.
// Errors without an API code (a refused connection, a cancelled context)
// are recorded as RequestFailed, still an unknown and never a pass.
func classify(err error) (code string, failed bool) {
	if err == nil {
		return "", false
	}
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) {
		return "RequestFailed", true
	}
	c := apiErr.ErrorCode()
	if missingResource[c] {
		return c, true
	}
	if notConfigured[c] || strings.HasPrefix(c, "NoSuch") {
		return "", false
	}
	return c, true
}
