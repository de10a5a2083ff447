package register

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/aimsaudit/aimsaudit/shared/badinput"
	"github.com/aimsaudit/aimsaudit/shared/testcloud"
)

func TestMain(m *testing.M) { testcloud.Main(m) }

const creditRisk = `{
  "id": "credit-risk",
  "sagemaker": {"modelPackageGroups": ["credit-risk"]},
  "evaluation": {"label": "y_true", "prediction": "y_pred", "positive": "1",
                 "sensitive": [["sex"], ["age_band"], ["sex", "age_band"]], "minGroupSize": 30},
  "envelope": [
    {"metric": "accuracy", "min": 0.70},
    {"metric": "demographic_parity_difference", "max": 0.10},
    {"metric": "psi", "column": "income", "max": 0.25}
  ],
  "impactAssessment": {"reviewIntervalDays": 365}
}`

const aiia = `{"id": "AIIA-2026-007", "system": "credit-risk", "status": "approved",
  "approvedAt": "2026-06-01T09:00:00Z", "nextReviewDue": "2027-06-01",
  "covers": {"modelPackageGroup": "credit-risk", "versions": [1, 3]}}`

func writeRegister(t *testing.T, docs map[string]string) string {
	t.Helper()
	root := t.TempDir()
	for name, body := range docs {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

func TestLoadFolder(t *testing.T) {
	root := writeRegister(t, map[string]string{
		"systems/credit-risk.json":       creditRisk,
		"systems/README.md":              "not a document",
		"assessments/AIIA-2026-007.json": aiia,
	})
	store, err := Open(root, nil)
	if err != nil {
		t.Fatal(err)
	}
	reg, err := Load(t.Context(), store)
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	if got := len(reg.SystemsForGroup("credit-risk")); got != 1 {
		t.Fatalf("got %d systems for credit-risk, want 1", got)
	}
	if got := len(reg.SystemsForGroup("fraud")); got != 0 {
		t.Errorf("got %d systems for fraud, want 0", got)
	}
	a := reg.Assessments["AIIA-2026-007"]
	if a == nil || !a.Approved() || !a.CoversPackage("credit-risk", 3) ||
		a.CoversPackage("credit-risk", 2) {
		t.Errorf("assessment read wrong: %+v", a)
	}
	sys := reg.SystemsForGroup("credit-risk")[0]
	if loc := reg.LocationOf(sys); loc != filepath.Join(root, "systems", "credit-risk.json") {
		t.Errorf("got location %q", loc)
	}
	if !sys.Envelope[2].IsDrift() || sys.Envelope[1].IsDrift() || !sys.Envelope[1].IsFairness() {
		t.Errorf("bound kinds misread: %+v", sys.Envelope)
	}
}

func TestLoadRejectsBadDocuments(t *testing.T) {
	tests := []struct {
		name, doc, want string
	}{
		{"syntax", "{\n  \"id\": \"x\",\n  \"envelope\": [}\n", "credit-risk.json:3: invalid JSON"},
		{"type", "{\n \"id\": \"x\",\n \"evaluation\": {\"minGroupSize\": \"thirty\"}}",
			"credit-risk.json:3: evaluation.minGroupSize: want int"},
		{"unknown metric", `{"id": "x", "envelope": [{"metric": "acuracy", "min": 0.7}]}`,
			"envelope[0].metric: unknown metric \"acuracy\""},
		{"no limit", `{"id": "x", "envelope": [{"metric": "accuracy"}]}`,
			"envelope[0]: bound on accuracy has neither"},
		{"bad method", `{"id": "x", "evaluation": {"label": "y", "prediction": "p", "positive": "1"},
			"envelope": [{"metric": "equalized_odds_difference", "max": 0.1, "method": "pairwise"}]}`,
			"envelope[0].method"},
		{"no label", `{"id": "x", "envelope": [{"metric": "accuracy", "min": 0.7}]}`,
			"evaluation.label: missing"},
		{"empty set", `{"id": "x", "evaluation": {"sensitive": [[]]}}`,
			"evaluation.sensitive[0]: empty sensitive set"},
		{"no id", `{"name": "x"}`, "id: missing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := writeRegister(t, map[string]string{"systems/credit-risk.json": tt.doc})
			store, _ := Open(root, nil)
			_, err := Load(t.Context(), store)
			if err == nil {
				t.Fatal("got no error")
			}
			if !badinput.Is(err) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want bad input containing %q", err, tt.want)
			}
		})
	}
}

func TestLoadRejectsBadAssessments(t *testing.T) {
	tests := map[string]string{
		`{"id": "A", "status": "signed"}`:                            "status: want draft",
		`{"id": "A", "status": "approved", "nextReviewDue": "soon"}`: "nextReviewDue: want a date",
	}
	for doc, want := range tests {
		root := writeRegister(t, map[string]string{"assessments/a.json": doc})
		store, _ := Open(root, nil)
		if _, err := Load(t.Context(), store); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: got %v, want %q", doc, err, want)
		}
	}
	root := writeRegister(t, map[string]string{"assessments/a.json": aiia, "assessments/b.json": aiia})
	store, _ := Open(root, nil)
	if _, err := Load(t.Context(), store); err == nil ||
		!strings.Contains(err.Error(), "also defined in") {
		t.Errorf("duplicate id: got %v", err)
	}
}

func TestReviewDue(t *testing.T) {
	day := func(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d }
	approved := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		name     string
		a        Assessment
		interval int
		at       time.Time
		ok, cur  bool
	}{
		{"explicit, last day", Assessment{NextReviewDue: "2027-06-01"}, 0,
			time.Date(2027, 6, 1, 23, 59, 0, 0, time.UTC), true, true},
		{"explicit, day after", Assessment{NextReviewDue: "2027-06-01"}, 0, day("2027-06-02"),
			true, false},
		{"from interval", Assessment{ApprovedAt: approved}, 365, day("2027-06-01"), true, true},
		{"from interval, past", Assessment{ApprovedAt: approved}, 365, day("2027-06-02"), true, false},
		{"unknown", Assessment{}, 365, day("2026-12-03"), false, false},
	}
	for _, tt := range tests {
		due, ok := tt.a.ReviewDue(tt.interval)
		if ok != tt.ok {
			t.Errorf("%s: got ok %v, want %v", tt.name, ok, tt.ok)
			continue
		}
		if ok && CurrentAt(due, tt.at) != tt.cur {
			t.Errorf("%s: due %s at %s: got current %v, want %v", tt.name, due, tt.at, !tt.cur, tt.cur)
		}
	}
}

func TestLoadFromS3(t *testing.T) {
	moto := testcloud.Shared(t)
	client := s3.NewFromConfig(moto.Config(), func(o *s3.Options) { o.UsePathStyle = true })
	ctx := t.Context()
	if _, err := client.CreateBucket(ctx, &s3.CreateBucketInput{
		Bucket: aws.String("reg"),
	}); err != nil {
		t.Fatal(err)
	}
	for key, body := range map[string]string{
		"aims/register/systems/credit-risk.json":       creditRisk,
		"aims/register/assessments/AIIA-2026-007.json": aiia,
		"aims/other/systems/ignored.json":              `{"id": "ignored"}`,
	} {
		_, err := client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("reg"),
			Key: aws.String(key), Body: strings.NewReader(body)})
		if err != nil {
			t.Fatal(err)
		}
	}
	store, err := Open("s3://reg/aims/register", client)
	if err != nil {
		t.Fatal(err)
	}
	reg, err := Load(ctx, store)
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	if len(reg.Systems) != 1 || reg.Systems[0].ID != "credit-risk" || len(reg.Assessments) != 1 {
		t.Fatalf("got %d systems, %d assessments", len(reg.Systems), len(reg.Assessments))
	}
	loc := "s3://reg/aims/register/systems/credit-risk.json"
	if reg.LocationOf(reg.Systems[0]) != loc || string(reg.Raw[loc]) != creditRisk {
		t.Errorf("raw document not kept under %s", loc)
	}
}

func TestEnvelopeBoundsMustBeJudgeable(t *testing.T) {
	tests := []struct{ name, doc, want string }{
		{"two bounds, one metric",
			`{"id": "x", "evaluation": {"label": "y", "prediction": "p", "positive": "1"},
			"envelope": [{"metric": "accuracy", "max": 0.99}, {"metric": "accuracy", "min": 0.7}]}`,
			"envelope[1]: bounds accuracy on : envelope[0] already bounds it"},
		{"same set twice", `{"id": "x", "evaluation": {"label": "y", "prediction": "p", "positive": "1",
			"sensitive": [["sex", "age"]]}, "envelope": [{"metric": "equalized_odds_difference", "max": 0.1},
			{"metric": "equalized_odds_difference", "max": 0.2, ` +
			`"method": "to_overall", "sensitive": [["age", "sex"]]}]}`,
			"envelope[1]: bounds equalized_odds_difference on age,sex"},
		{"no set",
			`{"id": "x", "evaluation": {"label": "y", "prediction": "p", "positive": "1", "sensitive": []},
			"envelope": [{"metric": "demographic_parity_difference", "max": 0.1}]}`,
			"envelope[0].sensitive: demographic_parity_difference applies to no sensitive set"},
	}
	for _, tt := range tests {
		root := writeRegister(t, map[string]string{"systems/x.json": tt.doc})
		store, _ := Open(root, nil)
		if _, err := Load(t.Context(), store); !badinput.Is(err) ||
			!strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: got %v, want bad input containing %q", tt.name, err, tt.want)
		}
	}
}

func TestOpenRefusesAFolderThatIsNot(t *testing.T) {
	file := filepath.Join(t.TempDir(), "f.json")
	if err := os.WriteFile(file, []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, uri := range []string{
		"", filepath.Join(t.TempDir(), "missing"), file, "https://example.test/reg/",
	} {
		if _, err := Open(uri, nil); err == nil {
			t.Errorf("Open(%q): got no error", uri)
		}
	}
}
