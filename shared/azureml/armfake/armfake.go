// Package armfake is a stand-in for Azure Resource Manager, Microsoft Entra
// ID's token endpoint and blob storage, for tests: no emulator of ARM
// exists, so an httptest TLS server answers the documented JSON shapes of
// the Azure ML calls the audits make (online endpoints and deployments,
// list and get; model versions, get and put; workspaces), with paging by
// nextLink, injected 403, 404 and throttled 429 answers, and records the
// requests it saw.
package armfake

import (
	"encoding/json"
	"encoding/pem"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// Server is a running fake. Its methods are safe for concurrent use.
type Server struct {
	URL string
	// PageSize is how many items a list answer holds before a nextLink.
	PageSize int

	srv      *httptest.Server
	mu       sync.Mutex
	docs     map[string]map[string]any // by lower-case resource path
	blobs    map[string][]byte         // by URL path
	faults   map[string]fault          // by lower-case path
	throttle map[string]int            // 429 answers still to give, by lower-case path
	seen     map[string]int            // "METHOD path" → count
	puts     map[string][]byte         // last PUT body by lower-case path
	tokens   []url.Values              // the forms of token requests, in order
}

type fault struct {
	method string // "" for every method
	status int
	code   string
}

// Start starts a fake on a loopback TLS port.
func Start() *Server {
	s := &Server{PageSize: 2, docs: map[string]map[string]any{}, blobs: map[string][]byte{},
		faults: map[string]fault{}, throttle: map[string]int{}, seen: map[string]int{},
		puts: map[string][]byte{}}
	s.srv = httptest.NewTLSServer(http.HandlerFunc(s.serve))
	s.URL = s.srv.URL
	return s
}

// Close stops the server.
func (s *Server) Close() { s.srv.Close() }

// Client is an HTTP client that trusts the server's certificate.
func (s *Server) Client() *http.Client { return s.srv.Client() }

// CertPEM is the server's certificate, for a process that trusts it
// through SSL_CERT_FILE.
func (s *Server) CertPEM() []byte {
	cert := s.srv.TLS.Certificates[0]
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Certificate[0]})
}

// Put stores an ARM resource document at its id.
func (s *Server) Put(id string, doc map[string]any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	doc["id"] = id
	s.docs[strings.ToLower(id)] = doc
}

// Doc returns the stored document at id, nil when there is none.
func (s *Server) Doc(id string) map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.docs[strings.ToLower(id)]
}

// PutBlob stores a blob served at the URL path p (e.g. "/acct/container/x.csv").
func (s *Server) PutBlob(p string, body []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.blobs[p] = body
}

// Fail makes every request to path answer status with an ARM error code;
// status 0 clears it.
func (s *Server) Fail(path string, status int, code string) {
	s.FailMethod("", path, status, code)
}

// FailMethod is Fail for requests of one method only ("" for any).
func (s *Server) FailMethod(method, path string, status int, code string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if status == 0 {
		delete(s.faults, strings.ToLower(path))
		return
	}
	s.faults[strings.ToLower(path)] = fault{method, status, code}
}

// Throttle makes the next n requests to path answer 429 with Retry-After.
func (s *Server) Throttle(path string, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.throttle[strings.ToLower(path)] = n
}

// Requests counts the requests seen with method on path.
func (s *Server) Requests(method, path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.seen[method+" "+strings.ToLower(path)]
}

// LastPut is the body of the last PUT to path, nil when there was none.
func (s *Server) LastPut(path string) []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.puts[strings.ToLower(path)]
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	key := strings.ToLower(strings.TrimSuffix(r.URL.Path, "/"))
	s.mu.Lock()
	s.seen[r.Method+" "+key]++
	s.mu.Unlock()
	switch {
	case strings.HasSuffix(key, "/.well-known/openid-configuration"):
		s.openIDConfig(w, r)
	case strings.HasSuffix(key, "/oauth2/v2.0/token"):
		s.recordToken(r)
		writeJSON(w, http.StatusOK, map[string]any{"token_type": "Bearer",
			"expires_in": 3600, "ext_expires_in": 3600, "access_token": "fake-arm-token"})
	case !strings.HasPrefix(r.Header.Get("Authorization"), "Bearer "):
		armError(w, http.StatusUnauthorized, "AuthenticationFailed", "no bearer token")
	case s.injected(w, r.Method, key):
	case strings.HasPrefix(key, "/subscriptions/"):
		s.arm(w, r, key)
	default:
		s.blob(w, r)
	}
}

func (s *Server) recordToken(r *http.Request) {
	_ = r.ParseForm()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tokens = append(s.tokens, r.PostForm)
}

// TokenRequests returns the forms of the token requests seen, in order.
func (s *Server) TokenRequests() []url.Values {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]url.Values(nil), s.tokens...)
}

// openIDConfig answers the tenant discovery a confidential client makes
// before asking for a token.
func (s *Server) openIDConfig(w http.ResponseWriter, r *http.Request) {
	tenant := strings.Split(strings.Trim(r.URL.Path, "/"), "/")[0]
	base := s.URL + "/" + tenant
	writeJSON(w, http.StatusOK, map[string]any{
		"token_endpoint":         base + "/oauth2/v2.0/token",
		"authorization_endpoint": base + "/oauth2/v2.0/authorize",
		"issuer":                 base + "/v2.0",
	})
}

// injected answers a fault or a throttle set for the path, if any.
func (s *Server) injected(w http.ResponseWriter, method, key string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if n := s.throttle[key]; n > 0 {
		s.throttle[key] = n - 1
		w.Header().Set("Retry-After", "1")
		armError(w, http.StatusTooManyRequests, "TooManyRequests",
			"the request rate is above the subscription's limit")
		return true
	}
	if f, ok := s.faults[key]; ok && (f.method == "" || f.method == method) {
		if strings.Contains(key, "/subscriptions/") {
			armError(w, f.status, f.code, "injected "+f.code)
		} else {
			w.Header().Set("x-ms-error-code", f.code)
			w.WriteHeader(f.status)
		}
		return true
	}
	return false
}

func (s *Server) arm(w http.ResponseWriter, r *http.Request, key string) {
	switch r.Method {
	case http.MethodGet:
		s.get(w, r, key)
	case http.MethodPut:
		s.put(w, r, key)
	default:
		armError(w, http.StatusMethodNotAllowed, "MethodNotAllowed", r.Method)
	}
}

func (s *Server) get(w http.ResponseWriter, r *http.Request, key string) {
	s.mu.Lock()
	doc, ok := s.docs[key]
	children := s.children(key)
	if sub, found := strings.CutSuffix(key, registriesOfSubscription); found {
		children = s.registries(sub)
	}
	s.mu.Unlock()
	switch {
	case ok:
		writeJSON(w, http.StatusOK, doc)
	case isCollection(key):
		s.page(w, r, children)
	default:
		armError(w, http.StatusNotFound, "ResourceNotFound",
			fmt.Sprintf("the resource %s was not found", r.URL.Path))
	}
}

// page answers one page of a list, with a nextLink while more remain.
func (s *Server) page(w http.ResponseWriter, r *http.Request, items []map[string]any) {
	skip, _ := strconv.Atoi(r.URL.Query().Get("$skipToken"))
	end := min(skip+s.PageSize, len(items))
	skip = min(skip, end)
	out := map[string]any{"value": items[skip:end]}
	if end < len(items) {
		q := r.URL.Query()
		q.Set("$skipToken", strconv.Itoa(end))
		out["nextLink"] = s.URL + r.URL.Path + "?" + q.Encode()
	}
	writeJSON(w, http.StatusOK, out)
}

// children lists the documents directly under a collection path, sorted.
func (s *Server) children(key string) []map[string]any {
	var keys []string
	for k := range s.docs {
		if parent, _, ok := cutLast(k); ok && parent == key {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	out := make([]map[string]any, len(keys))
	for i, k := range keys {
		out[i] = s.docs[k]
	}
	return out
}

// registriesOfSubscription ends the path that lists a subscription's
// registries across its resource groups.
const registriesOfSubscription = "/providers/microsoft.machinelearningservices/registries"

// registries lists the registries of a subscription path, sorted.
func (s *Server) registries(sub string) []map[string]any {
	var keys []string
	for k := range s.docs {
		parent, _, _ := cutLast(k)
		if strings.HasPrefix(k, sub+"/resourcegroups/") &&
			strings.HasSuffix(parent, registriesOfSubscription) {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	out := make([]map[string]any, len(keys))
	for i, k := range keys {
		out[i] = s.docs[k]
	}
	return out
}

func (s *Server) put(w http.ResponseWriter, r *http.Request, key string) {
	var doc map[string]any
	if err := json.NewDecoder(r.Body).Decode(&doc); err != nil {
		armError(w, http.StatusBadRequest, "InvalidRequestContent", err.Error())
		return
	}
	raw, _ := json.Marshal(doc)
	s.mu.Lock()
	prev, existed := s.docs[key]
	for _, k := range []string{"id", "name", "type", "systemData"} {
		if v, ok := prev[k]; ok {
			doc[k] = v
		}
	}
	s.docs[key], s.puts[key] = doc, raw
	s.mu.Unlock()
	status := http.StatusOK
	if !existed {
		status = http.StatusCreated
	}
	writeJSON(w, status, doc)
}

func (s *Server) blob(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	body, ok := s.blobs[r.URL.Path]
	s.mu.Unlock()
	if !ok {
		w.Header().Set("x-ms-error-code", "BlobNotFound")
		w.WriteHeader(http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("x-ms-blob-type", "BlockBlob")
	w.Header().Set("ETag", `"0x8DC0000000000"`)
	w.Header().Set("Last-Modified", "Thu, 03 Dec 2026 10:00:00 GMT")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
}

// isCollection reports whether a path ends in one of the list segments the
// audits read.
func isCollection(key string) bool {
	_, last, _ := cutLast(key)
	switch last {
	case "onlineendpoints", "deployments", "versions", "models", "registries":
		return true
	}
	return false
}

func cutLast(key string) (parent, last string, ok bool) {
	i := strings.LastIndex(key, "/")
	if i < 0 {
		return "", key, false
	}
	return key[:i], key[i+1:], true
}

func armError(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("x-ms-error-code", code)
	writeJSON(w, status, map[string]any{"error": map[string]any{"code": code, "message": msg}})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
