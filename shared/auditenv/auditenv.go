// Package auditenv reads the configuration every audit function shares (the
// register, the evidence bucket, the state table, the alert bus and dry run)
// once, so the functions agree on what each variable means and each keeps
// one evidence store per account for its whole life.
package auditenv

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/aimsaudit/aimsaudit/shared/alert"
	"github.com/aimsaudit/aimsaudit/shared/awsenv"
	"github.com/aimsaudit/aimsaudit/shared/evidence"
	"github.com/aimsaudit/aimsaudit/shared/register"
)

// Shared is what the common configuration opens.
type Shared struct {
	S3       *s3.Client
	Register register.Store
	// Evidence opens the function's evidence store of an account (or Azure
	// subscription), the same store every time.
	Evidence func(account string) *evidence.Store
	Alerts   *alert.Notifier
	DryRun   bool
}

// Load reads AIMS_REGISTER_URI, AIMS_EVIDENCE_BUCKET, AIMS_STATE_TABLE,
// AIMS_ALERT_BUS and AIMS_DRY_RUN for the named function, naming every
// variable that is missing at once.
func Load(cfg aws.Config, function string) (*Shared, error) {
	env, err := awsenv.Required("AIMS_REGISTER_URI", "AIMS_EVIDENCE_BUCKET", "AIMS_STATE_TABLE",
		"AIMS_ALERT_BUS")
	if err != nil {
		return nil, err
	}
	dryRun, err := awsenv.Bool("AIMS_DRY_RUN")
	if err != nil {
		return nil, err
	}
	s3c := awsenv.S3(cfg)
	store, err := register.Open(env["AIMS_REGISTER_URI"], s3c)
	if err != nil {
		return nil, err
	}
	bucket := env["AIMS_EVIDENCE_BUCKET"]
	return &Shared{
		S3:       s3c,
		Register: store,
		Evidence: evidence.PerAccount(func(account string) *evidence.Store {
			return evidence.NewStore(s3c, bucket, function, account)
		}),
		Alerts: alert.NewNotifier(dynamodb.NewFromConfig(cfg), env["AIMS_STATE_TABLE"],
			eventbridge.NewFromConfig(cfg), env["AIMS_ALERT_BUS"], dryRun),
		DryRun: dryRun,
	}, nil
}
