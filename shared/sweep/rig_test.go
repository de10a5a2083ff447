package sweep

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/aimsaudit/aimsaudit/shared/alert"
	"github.com/aimsaudit/aimsaudit/shared/evidence"
	"github.com/aimsaudit/aimsaudit/shared/findings"
	"github.com/aimsaudit/aimsaudit/shared/register"
	"github.com/aimsaudit/aimsaudit/shared/testcloud"
)

func TestMain(m *testing.M) { testcloud.Main(m) }

// Names of the test estate's own resources.
const (
	evidenceBucket = "sweep-evidence"
	stateTable     = "sweep-state"
	alertBus       = "sweep-grc"
)

// sweepDay is the night the tests sweep on.
var sweepDay = time.Date(2026, 12, 3, 2, 0, 0, 0, time.UTC)

// rig is an emulated account with the sweep's evidence bucket, state table
// and alert bus, and a register folder.
type rig struct {
	moto *testcloud.Moto
	cfg  aws.Config
	s3   *s3.Client
	reg  string
}

func newRig(t *testing.T) *rig {
	t.Helper()
	moto := testcloud.Shared(t)
	moto.Reset(t)
	return rigOn(t, moto)
}

func rigOn(t *testing.T, moto *testcloud.Moto) *rig {
	t.Helper()
	ctx := t.Context()
	cfg := moto.Config()
	r := &rig{moto: moto, cfg: cfg, reg: t.TempDir(),
		s3: s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true })}
	r.bucket(t, evidenceBucket)
	_, err := dynamodb.NewFromConfig(cfg).CreateTable(ctx, &dynamodb.CreateTableInput{
		TableName: aws.String(stateTable),
		AttributeDefinitions: []ddbtypes.AttributeDefinition{{AttributeName: aws.String("id"),
			AttributeType: ddbtypes.ScalarAttributeTypeS}},
		KeySchema: []ddbtypes.KeySchemaElement{{AttributeName: aws.String("id"),
			KeyType: ddbtypes.KeyTypeHash}},
		BillingMode: ddbtypes.BillingModePayPerRequest,
	})
	must(t, err)
	_, err = eventbridge.NewFromConfig(cfg).CreateEventBus(ctx,
		&eventbridge.CreateEventBusInput{Name: aws.String(alertBus)})
	must(t, err)
	r.doc(t, "systems/credit-risk.json", `{"id": "credit-risk", "name": "Credit",
		"impactAssessment": {"reviewIntervalDays": 365},
		"storage": ["s3://team-eval", "s3://gone-bucket/some/prefix"]}`)
	return r
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// doc writes a register document.
func (r *rig) doc(t *testing.T, name, body string) {
	t.Helper()
	path := filepath.Join(r.reg, filepath.FromSlash(name))
	must(t, os.MkdirAll(filepath.Dir(path), 0o755))
	must(t, os.WriteFile(path, []byte(body), 0o644))
}

func (r *rig) bucket(t *testing.T, name string) {
	t.Helper()
	_, err := r.s3.CreateBucket(t.Context(), &s3.CreateBucketInput{Bucket: aws.String(name)})
	must(t, err)
}

func publicPolicy(bucket string) string {
	return `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*",` +
		`"Action":"s3:GetObject","Resource":"arn:aws:s3:::` + bucket + `/*"}]}`
}

// publicBucket creates a bucket anyone may read through its policy.
func (r *rig) publicBucket(t *testing.T, name string) {
	t.Helper()
	r.bucket(t, name)
	_, err := r.s3.PutBucketPolicy(t.Context(), &s3.PutBucketPolicyInput{
		Bucket: aws.String(name), Policy: aws.String(publicPolicy(name))})
	must(t, err)
}

// latentBucket creates a bucket whose public policy RestrictPublicBuckets
// masks.
func (r *rig) latentBucket(t *testing.T, name string) {
	t.Helper()
	r.publicBucket(t, name)
	_, err := r.s3.PutPublicAccessBlock(t.Context(), &s3.PutPublicAccessBlockInput{
		Bucket: aws.String(name),
		PublicAccessBlockConfiguration: &s3types.PublicAccessBlockConfiguration{
			RestrictPublicBuckets: aws.Bool(true)}})
	must(t, err)
}

// sweep builds a sweep of the rig's account, judged in-process.
func (r *rig) sweep(t *testing.T) *Sweep {
	t.Helper()
	store, err := register.Open(r.reg, nil)
	must(t, err)
	cfg := WithRetries(r.cfg)
	s3c := s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true })
	home := Target{Account: r.moto.Account, Regions: []string{testcloud.Region}}
	return &Sweep{
		Home: home, Targets: []Target{home}, Connect: Connector(cfg), Register: store,
		Evidence: evidence.PerAccount(func(account string) *evidence.Store {
			return evidence.NewStore(s3c, evidenceBucket, FunctionName, account)
		}),
		Alerts: alert.NewNotifier(dynamodb.NewFromConfig(cfg), stateTable,
			eventbridge.NewFromConfig(cfg), alertBus, false),
		BatchSize: 3, Concurrency: 4,
		Now: func() time.Time { return sweepDay },
	}
}

// byResource indexes findings by check and resource.
func byResource(fs []findings.Finding) map[string]findings.Finding {
	out := map[string]findings.Finding{}
	for _, f := range fs {
		out[f.Check+" "+f.Resource] = f
	}
	return out
}

// keys lists the evidence bucket's keys under prefix.
func (r *rig) keys(t *testing.T, prefix string) []string {
	t.Helper()
	var out []string
	pages := s3.NewListObjectsV2Paginator(r.s3, &s3.ListObjectsV2Input{
		Bucket: aws.String(evidenceBucket), Prefix: aws.String(prefix)})
	for pages.HasMorePages() {
		page, err := pages.NextPage(context.Background())
		must(t, err)
		for _, o := range page.Contents {
			out = append(out, aws.ToString(o.Key))
		}
	}
	return out
}
