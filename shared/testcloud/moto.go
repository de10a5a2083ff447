// Package testcloud starts the local cloud that integration tests talk to:
// a moto server on a free loopback port, one per test binary, so packages
// tested in parallel never share emulator state.
package testcloud

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/credentials"
)

// Region is the region every test client uses.
const Region = "us-east-1"

// AccountID is the account the emulator reports unless a test starts its own
// server with another one.
const AccountID = "123456789012"

// Moto is a running moto server.
type Moto struct {
	URL     string
	Account string
	cmd     *exec.Cmd
}

var (
	shared     *Moto
	sharedErr  error
	sharedOnce sync.Once
)

// Main runs the package's tests and stops the emulator they started. Use it
// as the body of TestMain.
func Main(m *testing.M) {
	code := m.Run()
	if shared != nil {
		shared.Stop()
	}
	os.Exit(code)
}

// Shared returns the test binary's emulator, starting it on first use. The
// test fails, rather than skips, when moto_server is missing: a skipped
// integration test would let a broken machine look green.
func Shared(t testing.TB) *Moto {
	t.Helper()
	sharedOnce.Do(func() { shared, sharedErr = Start(AccountID) })
	if sharedErr != nil {
		t.Fatalf("local cloud: %v", sharedErr)
	}
	return shared
}

// Start launches a new moto server for account, bound to 127.0.0.1 on a free
// port, and waits until it answers.
func Start(account string) (*Moto, error) {
	bin, err := exec.LookPath("moto_server")
	if err != nil {
		return nil, fmt.Errorf("moto_server not on PATH (pip install \"moto[server]==5.2.1\"): %w", err)
	}
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, "-H", "127.0.0.1", "-p", strconv.Itoa(port))
	cmd.Env = append(os.Environ(), "MOTO_ACCOUNT_ID="+account)
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start moto_server: %w", err)
	}
	m := &Moto{URL: fmt.Sprintf("http://127.0.0.1:%d", port), Account: account, cmd: cmd}
	if err := m.waitReady(30 * time.Second); err != nil {
		m.Stop()
		return nil, err
	}
	return m, nil
}

// Stop ends the server process.
func (m *Moto) Stop() {
	if m.cmd != nil && m.cmd.Process != nil {
		_ = m.cmd.Process.Kill()
		_ = m.cmd.Wait()
	}
}

// Reset clears every resource the emulator holds.
func (m *Moto) Reset(t testing.TB) {
	t.Helper()
	resp, err := http.Post(m.URL+"/moto-api/reset", "application/json", nil)
	if err != nil {
		t.Fatalf("reset moto: %v", err)
	}
	resp.Body.Close()
}

// Config is an SDK configuration aimed at the emulator with dummy
// credentials. S3 clients built from it still need UsePathStyle.
//
// It opens a connection per request: the emulator's server drops idle
// keep-alive connections, and a request sent on one that has just closed
// is retried by the SDK, which repeats a create that had already happened
// ("Table already exists").
func (m *Moto) Config() aws.Config {
	client := awshttp.NewBuildableClient().WithTransportOptions(func(tr *http.Transport) {
		tr.DisableKeepAlives = true
	})
	return aws.Config{
		Region:       Region,
		Credentials:  credentials.NewStaticCredentialsProvider("testing", "testing", ""),
		BaseEndpoint: aws.String(m.URL),
		HTTPClient:   client,
	}
}

func (m *Moto) waitReady(limit time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, m.URL+"/moto-api/data.json", nil)
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("moto_server at %s did not answer within %s", m.URL, limit)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("find free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
