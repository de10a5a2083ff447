package lambdarun

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

var (
	binDir   string
	binOnce  sync.Once
	rie      string
	echo     string
	buildErr error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

// binaries builds the emulator and the echo function once per test binary.
func binaries(t *testing.T) (rieBin, echoBin string) {
	t.Helper()
	binOnce.Do(func() {
		if binDir, buildErr = os.MkdirTemp("", "lambdarun"); buildErr != nil {
			return
		}
		ctx := t.Context()
		if rie, buildErr = BuildRIE(ctx, binDir); buildErr != nil {
			return
		}
		echo, buildErr = BuildFunction(ctx, "./testdata/echo", binDir+"/echo")
	})
	if buildErr != nil {
		t.Fatalf("build: %v", buildErr)
	}
	return rie, echo
}

func start(t *testing.T, env ...string) *Function {
	t.Helper()
	rieBin, echoBin := binaries(t)
	f, err := Start(t.Context(), Config{RIE: rieBin, Bootstrap: echoBin, Env: env})
	if err != nil {
		t.Fatalf("start: %v", err)
	}
	t.Cleanup(f.Stop)
	return f
}

type echoReply struct {
	Payload json.RawMessage `json:"payload"`
	Env     string          `json:"env"`
	PID     int             `json:"pid"`
}

func invokeEcho(t *testing.T, f *Function, payload string) echoReply {
	t.Helper()
	out, err := f.Invoke(t.Context(), []byte(payload))
	if err != nil {
		t.Fatalf("invoke: %v\nlogs:\n%s", err, f.Logs())
	}
	var r echoReply
	if err := json.Unmarshal(out, &r); err != nil {
		t.Fatalf("decode %s: %v", out, err)
	}
	return r
}

func TestInvokeRoundTrip(t *testing.T) {
	f := start(t, "ECHO_VALUE=from-config")
	first := invokeEcho(t, f, `{"detail":{"n":1}}`)
	if string(first.Payload) != `{"detail":{"n":1}}` {
		t.Errorf("got payload %s, want the one sent", first.Payload)
	}
	if first.Env != "from-config" {
		t.Errorf("got ECHO_VALUE %q, want from-config", first.Env)
	}
	second := invokeEcho(t, f, `[2]`)
	if second.PID != first.PID {
		t.Errorf("got bootstrap pid %d on the second call, want the warm %d", second.PID, first.PID)
	}
	if !strings.Contains(f.Logs(), "START RequestId") {
		t.Errorf("got logs %q, want the emulator's request lines", f.Logs())
	}
}

func TestEnvironmentIsNotInherited(t *testing.T) {
	t.Setenv("ECHO_VALUE", "leaked")
	f := start(t)
	if got := invokeEcho(t, f, `{}`).Env; got != "" {
		t.Errorf("got ECHO_VALUE %q from the test's environment, want it unset", got)
	}
}

func TestHandlerError(t *testing.T) {
	f := start(t)
	_, err := f.Invoke(t.Context(), []byte(`{"fail":"register unreadable"}`))
	var fe *FunctionError
	if !errors.As(err, &fe) {
		t.Fatalf("got error %v, want a *FunctionError", err)
	}
	if fe.Message != "register unreadable" {
		t.Errorf("got message %q, want %q", fe.Message, "register unreadable")
	}
	if r := invokeEcho(t, f, `{"ok":true}`); string(r.Payload) != `{"ok":true}` {
		t.Errorf("got payload %s after an error, want the function still answering", r.Payload)
	}
}

func TestResultClassification(t *testing.T) {
	tests := []struct {
		name    string
		status  int
		body    string
		wantErr string
	}{
		{"result", 200, `{"findings":[]}`, ""},
		{"result naming an error type", 200, `{"errorType":"x","errorMessage":"y","z":1}`, ""},
		{"handler error", 200, `{"errorType":"T","errorMessage":"m","stackTrace":[]}`,
			"function error T: m"},
		{"timeout", 200, "Task timed out after 60.00 seconds", "timed out"},
		{"emulator failure", 502, "boom", "answered 502"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := result(tt.status, []byte(tt.body))
			got := ""
			if err != nil {
				got = err.Error()
			}
			if tt.wantErr == "" && err != nil || !strings.Contains(got, tt.wantErr) {
				t.Errorf("got error %q, want one containing %q", got, tt.wantErr)
			}
		})
	}
}

func TestStopLeavesNoProcess(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("reads /proc")
	}
	f := start(t)
	pid := invokeEcho(t, f, `{}`).PID
	riePID := f.cmd.Process.Pid
	f.Stop()
	for _, p := range []int{riePID, pid} {
		if alive(p) {
			t.Errorf("got process %d still running after Stop, want it gone", p)
		}
	}
	if _, err := f.Invoke(t.Context(), []byte(`{}`)); !errors.Is(err, ErrStopped) {
		t.Errorf("got %v from Invoke after Stop, want ErrStopped", err)
	}
	f.Stop()
}

// alive reports whether pid still has an entry in /proc, even as an
// unreaped zombie, after waiting a little for one that is shutting down.
func alive(pid int) bool {
	for range 50 {
		if _, err := os.Stat("/proc/" + strconv.Itoa(pid)); err != nil {
			return false
		}
		time.Sleep(20 * time.Millisecond)
	}
	return true
}

func TestCancelledContextStops(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("reads /proc")
	}
	rieBin, echoBin := binaries(t)
	ctx, cancel := context.WithCancel(t.Context())
	f, err := Start(ctx, Config{RIE: rieBin, Bootstrap: echoBin})
	if err != nil {
		t.Fatalf("start: %v", err)
	}
	defer f.Stop()
	pid := invokeEcho(t, f, `{}`).PID
	cancel()
	select {
	case <-f.exited:
	case <-time.After(10 * time.Second):
		t.Fatal("got the emulator still running 10s after cancel, want it ended")
	}
	if alive(pid) {
		t.Errorf("got bootstrap %d still present after cancel, want it gone", pid)
	}
}

func TestStartRejectsMissingBootstrap(t *testing.T) {
	rieBin, _ := binaries(t)
	_, err := Start(t.Context(), Config{RIE: rieBin, Bootstrap: t.TempDir() + "/bootstrap"})
	if err == nil || !strings.Contains(err.Error(), "bootstrap") {
		t.Errorf("got error %v, want one naming the bootstrap", err)
	}
}

func TestRelativePaths(t *testing.T) {
	binaries(t)
	t.Chdir(binDir)
	f, err := Start(t.Context(), Config{RIE: "aws-lambda-rie", Bootstrap: "echo/bootstrap"})
	if err != nil {
		t.Fatalf("start: %v", err)
	}
	defer f.Stop()
	if r := invokeEcho(t, f, `"hi"`); string(r.Payload) != `"hi"` {
		t.Errorf("got payload %s, want \"hi\"", r.Payload)
	}
}
