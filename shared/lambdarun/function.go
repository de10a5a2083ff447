package lambdarun

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// readyLimit bounds the wait for the emulator to take invocations.
const readyLimit = 15 * time.Second

// stopGrace is how long Stop waits after asking politely.
const stopGrace = 5 * time.Second

// Function is a bootstrap running under the emulator.
type Function struct {
	url     string
	cmd     *exec.Cmd
	logs    *tail
	exited  chan struct{} // closed once the emulator process has been waited for
	waitErr error

	invokeMu sync.Mutex // the emulator takes one invocation at a time
	stopOnce sync.Once
}

// Start launches the emulator on two free loopback ports with the bootstrap
// and waits until it accepts invocations. The emulator starts the bootstrap
// on the first invocation, as Lambda does on a cold start. The function runs
// until Stop, or until ctx is done.
func Start(ctx context.Context, cfg Config) (*Function, error) {
	var err error
	if cfg.RIE, err = executable(cfg.RIE); err != nil {
		return nil, fmt.Errorf("runtime emulator: %w", err)
	}
	if cfg.Bootstrap, err = executable(cfg.Bootstrap); err != nil {
		return nil, fmt.Errorf("bootstrap: %w", err)
	}
	ports, err := freePorts(2)
	if err != nil {
		return nil, err
	}
	f := &Function{
		url:    "http://127.0.0.1:" + strconv.Itoa(ports[1]),
		logs:   &tail{limit: 64 << 10, copy: cfg.Log},
		exited: make(chan struct{}),
	}
	f.cmd = f.command(ctx, cfg, ports)
	if err := f.cmd.Start(); err != nil {
		return nil, fmt.Errorf("start runtime emulator: %w", err)
	}
	go f.wait()
	if err := f.waitReady(ctx, "127.0.0.1:"+strconv.Itoa(ports[1])); err != nil {
		f.Stop()
		return nil, err
	}
	return f, nil
}

// command builds the emulator's command line. Both addresses are always
// given: the invoke address would otherwise default to every interface.
func (f *Function) command(ctx context.Context, cfg Config, ports []int) *exec.Cmd {
	cmd := exec.CommandContext(ctx, cfg.RIE,
		"--runtime-api-address", "127.0.0.1:"+strconv.Itoa(ports[0]),
		"--runtime-interface-emulator-address", "127.0.0.1:"+strconv.Itoa(ports[1]),
		cfg.Bootstrap)
	cmd.Dir = filepath.Dir(cfg.Bootstrap)
	cmd.Env = append(baseEnv(), functionEnv(cfg)...)
	cmd.Stdout, cmd.Stderr = f.logs, f.logs
	cmd.SysProcAttr = newProcessGroup()
	cmd.Cancel = func() error {
		endChildren(cmd.Process.Pid, stopGrace/2)
		return signalGroup(cmd.Process, hardStop)
	}
	cmd.WaitDelay = stopGrace
	return cmd
}

func functionEnv(cfg Config) []string {
	name := cfg.Name
	if name == "" {
		name = filepath.Base(filepath.Dir(cfg.Bootstrap))
	}
	timeout := cfg.Timeout
	if timeout == 0 {
		timeout = 60
	}
	env := []string{
		"AWS_LAMBDA_FUNCTION_NAME=" + name,
		"AWS_LAMBDA_FUNCTION_TIMEOUT=" + strconv.Itoa(timeout),
	}
	return append(env, cfg.Env...)
}

func (f *Function) wait() {
	f.waitErr = f.cmd.Wait()
	close(f.exited)
}

// waitReady polls the invoke address until it accepts connections, and
// gives up early if the emulator exits.
func (f *Function) waitReady(ctx context.Context, addr string) error {
	ctx, cancel := context.WithTimeout(ctx, readyLimit)
	defer cancel()
	for {
		conn, err := net.DialTimeout("tcp", addr, 200*time.Millisecond)
		if err == nil {
			conn.Close()
			return nil
		}
		select {
		case <-f.exited:
			return fmt.Errorf("runtime emulator exited before taking invocations (%v): %s",
				f.waitErr, f.logs.String())
		case <-ctx.Done():
			return fmt.Errorf("runtime emulator at %s not ready: %w: %s", addr, ctx.Err(),
				f.logs.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// URL is the emulator's invoke address.
func (f *Function) URL() string { return f.url }

// Logs returns the last part of the emulator's and the function's output.
func (f *Function) Logs() string { return f.logs.String() }

// Invoke runs the function once on payload and returns its result. A
// handler's error comes back as a *FunctionError; a timeout or an emulator
// failure as another error.
func (f *Function) Invoke(ctx context.Context, payload []byte) ([]byte, error) {
	f.invokeMu.Lock()
	defer f.invokeMu.Unlock()
	select {
	case <-f.exited:
		return nil, ErrStopped
	default:
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost,
		f.url+"/2015-03-31/functions/function/invocations", bytes.NewReader(payload))
	if err != nil {
		return nil, fmt.Errorf("invoke: %w", err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("invoke: %w", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("invoke: read result: %w", err)
	}
	return result(resp.StatusCode, body)
}

// result tells a handler's answer from the emulator's ways of reporting a
// failure: an error status, a timeout message in the body, or the runtime's
// error document.
func result(status int, body []byte) ([]byte, error) {
	if status != http.StatusOK {
		return nil, fmt.Errorf("invoke: emulator answered %d: %s", status, body)
	}
	if bytes.HasPrefix(body, []byte("Task timed out after")) {
		return nil, fmt.Errorf("invoke: %s", body)
	}
	if fe := asFunctionError(body); fe != nil {
		return nil, fe
	}
	return body, nil
}

// asFunctionError recognises the runtime's error document: an object with
// errorType and errorMessage and at most a stack trace besides.
func asFunctionError(body []byte) *FunctionError {
	var doc map[string]json.RawMessage
	if json.Unmarshal(body, &doc) != nil {
		return nil
	}
	_, hasType := doc["errorType"]
	_, hasMessage := doc["errorMessage"]
	delete(doc, "stackTrace")
	if !hasType || !hasMessage || len(doc) != 2 {
		return nil
	}
	var fe FunctionError
	if json.Unmarshal(body, &fe) != nil {
		return nil
	}
	return &fe
}

// Stop ends the bootstrap, then the emulator that reaps it, each with a
// termination signal and a kill after a grace period. It is safe to call
// more than once.
func (f *Function) Stop() {
	f.stopOnce.Do(func() { f.terminate(stopGrace) })
}

func (f *Function) terminate(grace time.Duration) {
	select {
	case <-f.exited:
		return
	default:
	}
	endChildren(f.cmd.Process.Pid, grace/2)
	_ = f.cmd.Process.Signal(softStop)
	select {
	case <-f.exited:
	case <-time.After(grace / 2):
		_ = signalGroup(f.cmd.Process, hardStop)
		<-f.exited
	}
}

// executable returns the absolute path of an executable file: the emulator
// runs in the bootstrap's folder, where a relative path would not resolve.
func executable(path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	info, err := os.Stat(abs)
	if err != nil {
		return "", err
	}
	if info.IsDir() || info.Mode()&0o111 == 0 {
		return "", fmt.Errorf("%s is not an executable file", abs)
	}
	return abs, nil
}

// freePorts asks the system for n distinct free loopback ports.
func freePorts(n int) ([]int, error) {
	var ports []int
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, fmt.Errorf("find free port: %w", err)
		}
		defer l.Close()
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	return ports, nil
}

// tail keeps the last limit bytes written to it and copies everything on.
type tail struct {
	mu    sync.Mutex
	buf   []byte
	limit int
	copy  io.Writer
}

func (t *tail) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, p...)
	if over := len(t.buf) - t.limit; over > 0 {
		t.buf = append(t.buf[:0], t.buf[over:]...)
	}
	if t.copy != nil {
		_, _ = t.copy.Write(p)
	}
	return len(p), nil
}

func (t *tail) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return strings.TrimSpace(string(t.buf))
}
