package azurecollect

import (
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"
)

// Azurite's well-known development account, the same on every machine.
const (
	devAccount = "devstoreaccount1"
	devKey     = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/" +
		"K1SZFPTOtr/KBHBeksoGMGw=="
)

// azuriteBin is the pinned Azurite, from this package up to the repository
// root.
var azuriteBin = filepath.Join("..", "..", "..", "localstack", "azurite", "node_modules", ".bin",
	"azurite-blob")

var (
	azuriteOnce sync.Once
	azuriteURL  string
	azuriteErr  error
	azuriteCmd  *exec.Cmd
)

func TestMain(m *testing.M) {
	code := m.Run()
	if azuriteCmd != nil && azuriteCmd.Process != nil {
		_ = azuriteCmd.Process.Kill()
		_ = azuriteCmd.Wait()
	}
	os.Exit(code)
}

// azurite returns the blob endpoint of the test binary's Azurite, started
// on first use on a free loopback port with telemetry off. It fails rather
// than skips when Azurite is not installed, so a broken machine never looks
// green.
func azurite(t *testing.T) string {
	t.Helper()
	azuriteOnce.Do(func() { azuriteURL, azuriteErr = startAzurite() })
	if azuriteErr != nil {
		t.Fatalf("azurite: %v", azuriteErr)
	}
	return azuriteURL
}

func startAzurite() (string, error) {
	if _, err := os.Stat(azuriteBin); err != nil {
		return "", fmt.Errorf("not installed: run `npm ci` in localstack/azurite "+
			"(pins azurite@3.35.0): %w", err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	dir, err := os.MkdirTemp("", "azurite")
	if err != nil {
		return "", err
	}
	azuriteCmd = exec.Command(azuriteBin, "--disableTelemetry", "--skipApiVersionCheck",
		"--blobHost", "127.0.0.1", "--blobPort", strconv.Itoa(port), "--location", dir)
	if err := azuriteCmd.Start(); err != nil {
		return "", fmt.Errorf("start: %w", err)
	}
	base := fmt.Sprintf("http://127.0.0.1:%d", port)
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if resp, err := http.Get(base + "/" + devAccount + "?comp=list"); err == nil {
			resp.Body.Close()
			return base + "/" + devAccount + "/", nil
		}
		time.Sleep(100 * time.Millisecond)
	}
	return "", fmt.Errorf("no answer at %s within 30s", base)
}
