package sweep

import (
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/aimsaudit/aimsaudit/shared/exposure"
	"github.com/aimsaudit/aimsaudit/shared/findings"
	"github.com/aimsaudit/aimsaudit/shared/testcloud"
)

// throttling is a proxy in front of the emulator that answers the first
// few GetBucketPolicy requests with S3's 503 SlowDown, as S3 does under a
// burst.
func throttling(t *testing.T, moto *testcloud.Moto, first int32) (*testcloud.Moto,
	*atomic.Int32) {
	t.Helper()
	target, err := url.Parse(moto.URL)
	must(t, err)
	proxy := httputil.NewSingleHostReverseProxy(target)
	var throttled atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, policy := r.URL.Query()["policy"]; policy && r.Method == http.MethodGet &&
			throttled.Load() < first && throttled.Add(1) <= first {
			w.Header().Set("Content-Type", "application/xml")
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = w.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?><Error>` +
				`<Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>`))
			return
		}
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return &testcloud.Moto{URL: srv.URL, Account: moto.Account}, &throttled
}

// TestThrottlingIsRetried sweeps through the throttling proxy: with the
// sweep's retry settings every throttled call is retried and each bucket
// is judged on its real settings; with retries off, the same throttles
// leave the policy unknown, which is indeterminate, never a pass.
func TestThrottlingIsRetried(t *testing.T) {
	r := newRig(t)
	for _, b := range []string{"slow-a", "slow-b", "slow-c"} {
		r.publicBucket(t, b)
	}
	tests := []struct {
		name    string
		retries bool
		want    findings.Status
	}{
		{"sweep's retryer", true, findings.Fail},
		{"no retries", false, findings.Indeterminate},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			proxied, throttled := throttling(t, r.moto, 3)
			pr := *r
			pr.cfg = r.cfg.Copy()
			pr.cfg.BaseEndpoint = aws.String(proxied.URL)
			s := pr.sweep(t)
			if !tt.retries {
				cfg := pr.cfg.Copy()
				cfg.RetryMaxAttempts = 1
				s.Connect = Connector(cfg)
			}
			res, err := s.Run(t.Context())
			must(t, err)
			if throttled.Load() != 3 {
				t.Fatalf("got %d throttled calls, want 3", throttled.Load())
			}
			got := byResource(res.Findings)
			for _, b := range []string{"slow-a", "slow-b", "slow-c"} {
				f := got[exposure.CheckS3Bucket+" s3://"+b]
				if f.Status != tt.want {
					t.Errorf("%s: got %s, want %s; %s", b, f.Status, tt.want, f.Reason)
				}
			}
		})
	}
}
