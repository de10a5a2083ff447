package azureml

import (
	"errors"
	"net/http"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"

	"github.com/aimsaudit/aimsaudit/shared/awserr"
)

// kindOf classifies an error of ARM, of blob storage or of AWS once, in
// the kinds awserr defines: an answer of 404 means the resource does not
// exist, 401 and 403 that the auditor may not look.
func kindOf(err error) awserr.Kind {
	var re *azcore.ResponseError
	if !errors.As(err, &re) {
		return awserr.Classify(err)
	}
	switch re.StatusCode {
	case http.StatusNotFound:
		return awserr.NotFound
	case http.StatusUnauthorized, http.StatusForbidden:
		return awserr.AccessDenied
	case http.StatusTooManyRequests:
		return awserr.Throttled
	}
	return awserr.Other
}

// readResult says how a read went: found, missing (a result the checks
// judge), or unknown because the auditor may not look.
type readResult struct {
	missing bool
	unknown string // why the resource could not be read; "" when it was
	invalid string // why the reference cannot be read at all; "" when it can
}

// read sorts an error into a result, or returns it when it is neither a
// missing resource nor a denied one: those stop the run so it is retried.
func read(err error) (readResult, error) {
	switch {
	case err == nil:
		return readResult{}, nil
	case kindOf(err) == awserr.NotFound:
		return readResult{missing: true}, nil
	case kindOf(err) == awserr.AccessDenied:
		return readResult{unknown: "access denied: " + errorCode(err)}, nil
	}
	return readResult{}, err
}

// errorCode is the short code of an Azure error, or its message.
func errorCode(err error) string {
	var re *azcore.ResponseError
	if errors.As(err, &re) && re.ErrorCode != "" {
		return re.ErrorCode
	}
	return err.Error()
}
