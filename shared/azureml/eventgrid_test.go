package azureml

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/aimsaudit/aimsaudit/shared/badinput"
)

const topic = "/subscriptions/s/resourceGroups/g/providers/" +
	"Microsoft.MachineLearningServices/workspaces/w"

func TestModelIdsSplitOnCommas(t *testing.T) {
	d := ModelDeployed{ModelIds: "a:1, b:2,,c:10"}
	want := []ModelID{{"a", "1"}, {"b", "2"}, {"c", "10"}}
	if got := d.Models(); !cmp.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestDataKeysInEitherCase(t *testing.T) {
	body := `[{"id": "1", "topic": "` + topic + `", "eventType": "` + TypeModelRegistered +
		`", "data": {"modelName": "m", "modelVersion": 12}}]`
	evs, err := DecodeDelivery([]byte(body))
	must(t, err)
	r, err := RegistrationOf(0, evs[0])
	must(t, err)
	if r.Model != "m" || r.Version != "12" {
		t.Errorf("got %+v, want m 12 from camelCase keys and a numeric version", r)
	}
}

func TestSubjectStandsInForData(t *testing.T) {
	body := `[{"id": "1", "source": "` + topic + `", "subject": "models/m:3", "type": "` +
		TypeModelRegistered + `", "specversion": "1.0", "data": {}}]`
	evs, err := DecodeDelivery([]byte(body))
	must(t, err)
	if evs[0].Schema != SchemaCloudEvents {
		t.Errorf("got schema %s, want CloudEvents", evs[0].Schema)
	}
	r, err := RegistrationOf(0, evs[0])
	must(t, err)
	if r.Model != "m" || r.Version != "3" {
		t.Errorf("got %+v, want m 3 from the subject", r)
	}
}

func TestOneCloudEventOnItsOwn(t *testing.T) {
	body := `{"id": "1", "source": "` + topic + `", "type": "` + TypeModelDeployed +
		`", "specversion": "1.0", "data": {"ServiceName": "e", "ModelIds": "m:1"}}`
	evs, err := DecodeDelivery([]byte(body))
	must(t, err)
	d, err := DeploymentOf(0, evs[0])
	must(t, err)
	if d.Endpoint != "e" || len(d.Models) != 1 {
		t.Errorf("got %+v, want endpoint e serving m:1", d)
	}
}

func TestBadDataNamesTheField(t *testing.T) {
	body := `[{"id": "1", "topic": "` + topic + `", "eventType": "` + TypeModelRegistered +
		`", "data": {"ModelName": "m", "ModelVersion": true}}, {"id": "2"}]`
	_, err := DecodeDelivery([]byte(body))
	if !badinput.Is(err) || !strings.Contains(err.Error(), "[1].eventType") {
		t.Fatalf("got %v, want bad input naming [1].eventType", err)
	}
	evs, err := DecodeDelivery([]byte(body[:strings.Index(body, ", {")] + "]"))
	must(t, err)
	_, err = RegistrationOf(0, evs[0])
	if !badinput.Is(err) || !strings.Contains(err.Error(), "[0].data") {
		t.Errorf("got %v, want bad input naming [0].data", err)
	}
}
