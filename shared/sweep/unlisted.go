package sweep

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"

	"github.com/aimsaudit/aimsaudit/shared/awserr"
	"github.com/aimsaudit/aimsaudit/shared/evidence"
	"github.com/aimsaudit/aimsaudit/shared/exposure"
	"github.com/aimsaudit/aimsaudit/shared/findings"
)

// unlistedOf records a failed listing with the service's error code.
func unlistedOf(cloud, account string, err error) Unlisted {
	code := awserr.Code(err)
	var re *azcore.ResponseError
	switch {
	case errors.As(err, &re) && re.ErrorCode != "":
		code = re.ErrorCode
	case code == "":
		code = "RequestFailed"
	}
	return Unlisted{Cloud: cloud, Account: account, Code: code, Error: err.Error()}
}

// keepUnlisted keeps each failed listing as evidence and makes it an
// indeterminate finding on every bucket ("s3://*") or container
// ("azure://*") of the account, qualified by the account id: what could
// not be listed could be public.
func keepUnlisted(ctx context.Context, run *evidence.Run, us []Unlisted,
	at time.Time) ([]findings.Finding, error) {
	out := make([]findings.Finding, 0, len(us))
	for _, u := range us {
		uri, err := run.PutJSON(ctx, "unlisted/"+u.Cloud+"-"+u.Account+".json", u)
		if err != nil {
			return nil, err
		}
		check, resource, kind := exposure.CheckS3Bucket, "s3://*", exposure.KindS3Bucket
		if u.Cloud == "azure" {
			check, resource, kind = exposure.CheckAzureContainer, "azure://*",
				exposure.KindAzureContainer
		}
		v := exposure.Verdict{Resource: resource, Kind: kind, Verdict: exposure.Indeterminate,
			Reasons: []string{fmt.Sprintf("the storage of %s %s could not be listed (%s), so "+
				"any of it could be public", u.Cloud, u.Account, u.Code)}}
		f := findings.New(check, resource, u.Account, "", findings.Indeterminate, at)
		f.Observed, f.Reason, f.Evidence = v, v.Reasons[0], []string{uri}
		f.Expected = map[string]any{"listed": true}
		out = append(out, f)
	}
	return out, nil
}
