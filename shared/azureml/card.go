package azureml

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/aimsaudit/aimsaudit/shared/evidence"
)

// cardLimit bounds how much of a card document is read.
const cardLimit = 4 << 20

// cardView is a model card document as read, in the SageMaker model card
// JSON format: either a card as DescribeModelCard answers it (with
// ModelCardStatus and Content) or the bare content, which states no status.
type cardView struct {
	uri         string // where aims:model-card points
	evidenceURI string
	read        readResult
	status      string
	overview    *cardOverview // nil when the content has no model_overview
	contentErr  string        // why the content could not be read; "" when it was
}

// cardOverview is the part of the card's model_overview that says which
// model version it documents.
type cardOverview struct {
	ModelID      string `json:"model_id,omitempty"`
	ModelName    string `json:"model_name,omitempty"`
	ModelVersion any    `json:"model_version,omitempty"`
}

// describes reports whether the overview names exactly this version: by
// model id, or by model name and version.
func (o *cardOverview) describes(ref ModelRef) bool {
	if o == nil {
		return false
	}
	if o.ModelID != "" && strings.EqualFold(o.ModelID, ref.ID()) {
		return true
	}
	return o.ModelName == ref.Name && versionText(o.ModelVersion) == ref.Version
}

func (o *cardOverview) what() string {
	if o.ModelID != "" {
		return o.ModelID
	}
	return fmt.Sprintf("model %q version %s", o.ModelName, versionText(o.ModelVersion))
}

// versionText reads a version written as a JSON number or string.
func versionText(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	case float64:
		return fmt.Sprintf("%g", v)
	}
	return fmt.Sprint(v)
}

// readCard fetches the card document at uri, keeps it as evidence in run
// under name, and reads what it says. A document that is missing, denied
// or not addressable is a result; other failures stop the run.
func readCard(ctx context.Context, objects ObjectReader, run *evidence.Run, name, uri string) (
	*cardView, error) {
	c := &cardView{uri: uri}
	raw, err := fetch(ctx, objects, uri)
	if err != nil {
		if errors.Is(err, ErrUnsupportedURI) {
			c.read.invalid = err.Error()
			return c, nil
		}
		res, fatal := read(err)
		if fatal != nil {
			return nil, wrap("read model card "+uri, fatal)
		}
		c.read = res
		return c, nil
	}
	if c.evidenceURI, err = run.PutBytes(ctx, name, "application/json", raw); err != nil {
		return nil, wrap("keep model card "+uri, err)
	}
	c.parse(raw)
	return c, nil
}

// fetch reads a whole document, up to cardLimit.
func fetch(ctx context.Context, objects ObjectReader, uri string) ([]byte, error) {
	body, err := objects.Open(ctx, uri)
	if err != nil {
		return nil, err
	}
	defer body.Close()
	return io.ReadAll(io.LimitReader(body, cardLimit))
}

func (c *cardView) parse(raw []byte) {
	var doc struct {
		Status  string          `json:"ModelCardStatus"`
		Content json.RawMessage `json:"Content"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		c.contentErr = "not JSON: " + err.Error()
		return
	}
	content := raw
	if len(doc.Content) > 0 {
		content = doc.Content
		var s string
		if json.Unmarshal(doc.Content, &s) == nil {
			content = []byte(s) // DescribeModelCard carries content as a string
		}
	}
	c.status = doc.Status
	var body struct {
		Overview *cardOverview `json:"model_overview"`
	}
	if err := json.NewDecoder(bytes.NewReader(content)).Decode(&body); err != nil {
		c.contentErr = "content is not the model card JSON: " + err.Error()
		return
	}
	c.overview = body.Overview
}
