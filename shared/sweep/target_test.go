package sweep

import (
	"context"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"

	"github.com/aimsaudit/aimsaudit/shared/badinput"
	"github.com/aimsaudit/aimsaudit/shared/exposure"
	"github.com/aimsaudit/aimsaudit/shared/findings"
	"github.com/aimsaudit/aimsaudit/shared/testcloud"
)

const otherAccount = "111111111111"

// TestAssumeRoleTarget sweeps a second account through a role assumed
// with STS: its buckets are found and judged with its credentials, and the
// home account's are not swept when it is not a target.
func TestAssumeRoleTarget(t *testing.T) {
	r := rigOn(t, multiAccountMoto(t))
	r.bucket(t, "home-only")
	target := Target{Account: otherAccount, Regions: []string{"us-east-1"}, RoleName: "auditor"}
	other := r.cfg.Copy()
	other.Credentials = aws.NewCredentialsCache(stscreds.NewAssumeRoleProvider(
		sts.NewFromConfig(r.cfg), target.RoleARN()))
	o := &rig{moto: r.moto, cfg: other,
		s3: s3.NewFromConfig(other, func(o *s3.Options) { o.UsePathStyle = true })}
	o.publicBucket(t, "other-public")
	o.bucket(t, "other-private")
	s := r.sweep(t)
	s.Targets = []Target{target}

	res, err := s.Run(t.Context())
	must(t, err)

	got := byResource(res.Findings)
	want := map[string]findings.Status{"s3://other-public": findings.Fail,
		"s3://other-private": findings.Pass}
	for resource, status := range want {
		f, ok := got[exposure.CheckS3Bucket+" "+resource]
		if !ok || f.Status != status {
			t.Errorf("%s: got %q (found %t), want %s; %s", resource, f.Status, ok, status,
				f.Reason)
			continue
		}
		if !strings.Contains(string(r.object(t, f.Evidence[0])), `"account": "`+otherAccount) {
			t.Errorf("%s: snapshot not collected as account %s", resource, otherAccount)
		}
	}
	if _, swept := got[exposure.CheckS3Bucket+" s3://home-only"]; swept {
		t.Errorf("got a finding for the home account's bucket, which is no target")
	}
	if n := len(r.keys(t, "manifests/"+FunctionName+"/"+otherAccount+"/")); n != 1 {
		t.Errorf("got %d manifests in the other account's chain, want 1", n)
	}
}

// multiAccountMoto starts an emulator that serves each account its own
// resources: without MOTO_ACCOUNT_ID, moto routes a request signed with
// assumed-role credentials to the role's account.
func multiAccountMoto(t *testing.T) *testcloud.Moto {
	t.Helper()
	bin, err := exec.LookPath("moto_server")
	must(t, err)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	must(t, err)
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	cmd := exec.Command(bin, "-H", "127.0.0.1", "-p", strconv.Itoa(port))
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "MOTO_ACCOUNT_ID=") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	must(t, cmd.Start())
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	url := "http://127.0.0.1:" + strconv.Itoa(port)
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get(url + "/moto-api/data.json")
		if err == nil {
			resp.Body.Close()
			return &testcloud.Moto{URL: url, Account: testcloud.AccountID}
		}
		if time.Now().After(deadline) {
			t.Fatalf("moto_server at %s did not answer: %v", url, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func TestParseTargets(t *testing.T) {
	home := Target{Account: "123456789012", Regions: []string{"eu-west-1"}}
	tests := []struct {
		name, raw, field string
		want             []Target
	}{
		{"empty is home", "", "", []Target{home}},
		{"regions default to home's", `[{"account": "111122223333", "roleName": "audit"}]`, "",
			[]Target{{Account: "111122223333", Regions: []string{"eu-west-1"},
				RoleName: "audit"}}},
		{"regions kept", `[{"account": "111122223333", "regions": ["us-east-1", "us-west-2"]}]`,
			"", []Target{{Account: "111122223333", Regions: []string{"us-east-1", "us-west-2"}}}},
		{"short account", `[{"account": "1234"}]`, "[0].account", nil},
		{"typo", `[{"account": "111122223333", "role": "x"}]`, "role", nil},
		{"not a list", `{"account": "111122223333"}`, "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseTargets(tt.raw, home)
			if tt.want == nil {
				var bad *badinput.Error
				if !badinput.Is(err) || !asBad(err, &bad) || bad.Field != tt.field {
					t.Fatalf("got %v, want bad input naming %q", err, tt.field)
				}
				return
			}
			must(t, err)
			if len(got) != len(tt.want) || got[0].Account != tt.want[0].Account ||
				strings.Join(got[0].Regions, ",") != strings.Join(tt.want[0].Regions, ",") ||
				got[0].RoleName != tt.want[0].RoleName {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

// denyList answers AccessDenied to ListBuckets.
type denyList struct{}

func (denyList) ListBuckets(context.Context, *s3.ListBucketsInput, ...func(*s3.Options)) (
	*s3.ListBucketsOutput, error) {
	return nil, &smithy.GenericAPIError{Code: "AccessDenied", Message: "Access Denied"}
}

// TestUnlistableTargetIsIndeterminate sweeps two targets, one of which may
// not list its buckets: that account's storage is indeterminate, with the
// denial kept as evidence, and the other account is swept in full.
func TestUnlistableTargetIsIndeterminate(t *testing.T) {
	r := newRig(t)
	r.publicBucket(t, "home-public")
	s := r.sweep(t)
	denied := Target{Account: otherAccount, Regions: []string{"us-east-1"}, RoleName: "auditor"}
	s.Targets = append(s.Targets, denied)
	base := s.Connect
	s.Connect = func(ctx context.Context, tg Target, region string) (*AWSAccount, error) {
		acct, err := base(ctx, tg, region)
		if err == nil && tg.Account == otherAccount {
			acct.Buckets = denyList{}
		}
		return acct, err
	}

	res, err := s.Run(t.Context())
	must(t, err)

	id := findings.ID(exposure.CheckS3Bucket, "s3://*", otherAccount)
	var found bool
	for _, f := range res.Findings {
		if f.ID != id {
			continue
		}
		found = true
		if f.Status != findings.Indeterminate || !strings.Contains(f.Reason, "AccessDenied") {
			t.Errorf("got %s (%q), want indeterminate for AccessDenied", f.Status, f.Reason)
		}
		if !strings.Contains(string(r.object(t, f.Evidence[0])), `"errorCode": "AccessDenied"`) {
			t.Errorf("evidence %s does not keep the denial", f.Evidence[0])
		}
	}
	if !found {
		t.Errorf("got no finding for the account that could not be listed")
	}
	if f := byResource(res.Findings)[exposure.CheckS3Bucket+" s3://home-public"]; f.Status !=
		findings.Fail {
		t.Errorf("home-public: got %q, want fail: the other target must not stop the sweep",
			f.Status)
	}
}
