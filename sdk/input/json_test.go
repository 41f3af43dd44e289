package input

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"
)

type address struct {
	Street string `json:"street"`
}

var typeOfPerson = reflect.TypeFor[person]()

type base struct {
	ID string `json:"id"`
}

type person struct {
	base
	Status  string            `json:"status"`
	Name    string            `json:"name,omitempty"`
	Age     *int              `json:"age"`
	Height  float64           `json:"height"`
	Active  bool              `json:"active"`
	Tags    []string          `json:"tags"`
	Address *address          `json:"address"`
	Homes   []address         `json:"homes"`
	Extra   map[string]string `json:"extra"`
	Raw     json.RawMessage   `json:"raw"`
	Any     any               `json:"any"`
	Born    time.Time         `json:"born"`
	Count   int64             `json:"count,string"`
	Small   uint8             `json:"small"`
	Secret  string            `json:"-"`
	//lint:ignore U1000 present so that a body naming it is proved refused
	internal string
	NoTag    string
}

func TestDecodeBytes(t *testing.T) {
	tests := []struct {
		name, body string
		code       string // "" = accepted
		field      string
	}{
		{"exact keys", `{"status":"alive","name":"Siti","age":30,"id":"x","NoTag":"y"}`, "", ""},
		{"nested exact", `{"address":{"street":"Jl. A"},"homes":[{"street":"B"}],"extra":{"ANY":"key"},"raw":{"Status":1},"any":{"STATUS":[1,"x"]}}`, "", ""},
		{"time and string option", `{"born":"2020-01-02T03:04:05Z","count":"12"}`, "", ""},
		{"null everywhere", `{"status":null,"age":null,"address":null,"tags":null}`, "", ""},
		{"newline in text is the field's business", `{"name":"a\nb"}`, "", ""},
		{"upper case key", `{"STATUS":"dead"}`, "unknown_field", "STATUS"},
		{"long s folds to status", `{"ſtatus":"dead"}`, "unknown_field", "ſtatus"},
		{"upper case of an untagged name", `{"extra":{},"address":{"street":"x"},"NOTAG":"x"}`, "unknown_field", "NOTAG"},
		{"nested folded key", `{"address":{"Street":"x"}}`, "unknown_field", "address.Street"},
		{"key in a list element", `{"homes":[{"street":"a"},{"STREET":"b"}]}`, "unknown_field", "homes[1].STREET"},
		{"unknown key", `{"role":"admin"}`, "unknown_field", "role"},
		{"promoted embedded name only", `{"base":{"id":"x"}}`, "unknown_field", "base"},
		{"skipped field", `{"Secret":"x"}`, "unknown_field", "Secret"},
		{"unexported field", `{"internal":"x"}`, "unknown_field", "internal"},
		{"duplicate key", `{"status":"alive","status":"dead"}`, "malformed_json", "status"},
		{"duplicate key in a map", `{"extra":{"a":"1","a":"2"}}`, "malformed_json", "extra.a"},
		{"duplicate key in any", `{"any":{"a":1,"a":2}}`, "malformed_json", "any.a"},
		{"NUL escape", `{"name":"a\u0000b"}`, "invalid_text", "name"},
		{"NUL escape in a map value", `{"extra":{"k":"\u0000"}}`, "invalid_text", "extra.k"},
		{"NUL escape in a raw value", `{"raw":["\u0000"]}`, "invalid_text", "raw[0]"},
		{"NUL escape in a key", `{"extra":{"a\u0000":"x"}}`, "invalid_text", "extra"},
		{"invalid UTF-8 in a string", "{\"name\":\"\xff\"}", "invalid_text", ""},
		{"invalid UTF-8 outside strings", "{\"name\":\"a\"}\xc3", "invalid_text", ""},
		{"truncated UTF-8", "{\"name\":\"\xe2\x82\"}", "invalid_text", ""},
		{"surrogate pair", `{"name":"\ud83d\ude00 \uD83D\uDE00"}`, "", ""},
		{"replacement character itself", "{\"name\":\"\\ufffd \uFFFD\"}", "", ""},
		{"escaped backslash before u", `{"name":"\\ud800 \ufffd"}`, "", ""},
		{"lone high surrogate", `{"name":"\ud800"}`, "invalid_text", "name"},
		{"lone high surrogate, upper case", `{"name":"a\uD800b"}`, "invalid_text", "name"},
		{"lone low surrogate", `{"name":"\udc00"}`, "invalid_text", "name"},
		{"mis-ordered pair", `{"name":"\ude00\ud83d"}`, "invalid_text", "name"},
		{"two high halves", `{"name":"\ud83d\ud83d\ude00"}`, "invalid_text", "name"},
		{"high half before a plain escape", `{"name":"\ud83d\u0041"}`, "invalid_text", "name"},
		{"high half at the end", `{"name":"x\ud83d"}`, "invalid_text", "name"},
		{"lone surrogate after a pair", `{"name":"\ud83d\ude00\ud800"}`, "invalid_text", "name"},
		{"lone surrogate beside a real U+FFFD", "{\"name\":\"\uFFFD\\udfff\"}", "invalid_text", "name"},
		{"lone surrogate in a nested value", `{"address":{"street":"\ud800"}}`, "invalid_text", "address.street"},
		{"lone surrogate in a raw value", `{"raw":{"x":["\udbff"]}}`, "invalid_text", "raw.x[0]"},
		{"lone surrogate in a key", `{"extra":{"a\ud800":"x"}}`, "invalid_text", "extra"},
		{"lone surrogate in a top-level key", `{"\ud800":"x"}`, "invalid_text", ""},
		{"lone surrogate in a value after whitespace", "{\"name\" :\n \"\\ud800\"}", "invalid_text", "name"},
		{"wrong type", `{"status":1}`, "invalid_field", "status"},
		{"wrong nested type", `{"homes":[{"street":true}]}`, "invalid_field", "homes[0].street"},
		{"fraction into int", `{"age":1.5}`, "invalid_field", "age"},
		{"overflow", `{"small":256}`, "invalid_field", "small"},
		{"object for a list", `{"tags":{}}`, "invalid_field", "tags"},
		{"list for an object", `{"address":[]}`, "invalid_field", "address"},
		{"bad time", `{"born":"yesterday"}`, "malformed_json", ""},
		{"not an object", `[1]`, "malformed_json", ""},
		{"empty", ``, "malformed_json", ""},
		{"whitespace", "  \n", "malformed_json", ""},
		{"truncated", `{"status":`, "malformed_json", ""},
		{"trailing value", `{"status":"a"} {}`, "malformed_json", ""},
		{"trailing garbage", `{"status":"a"}x`, "malformed_json", ""},
		{"missing comma", `{"status":"a" "name":"b"}`, "malformed_json", ""},
		{"too deep", `{"any":` + strings.Repeat("[", MaxDepth+1) + strings.Repeat("]", MaxDepth+1) + `}`, "malformed_json", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var p person
			wantRefusal(t, DecodeBytes([]byte(tt.body), &p), http.StatusBadRequest, tt.code, tt.field)
		})
	}
}

// wantRefusal fails t unless err is an *Error with this status, code and
// field (any field when field is ""), or nil when code is "".
func wantRefusal(t *testing.T, err error, status int, code, field string) {
	t.Helper()
	if code == "" {
		if err != nil {
			t.Fatalf("refused: %v", err)
		}
		return
	}
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("got %v, want *Error %s", err, code)
	}
	if e.Status != status || e.Code != code || (field != "" && e.Field != field) || e.Message == "" {
		t.Fatalf("got %d %s at %q (%s), want %d %s at %q", e.Status, e.Code, e.Field, e.Message, status, code, field)
	}
}

func TestDecodeFillsTheTarget(t *testing.T) {
	var p person
	if err := DecodeBytes([]byte(`{"status":"alive","id":"r1","address":{"street":"Jl. Sudirman"},"count":"7","tags":["a"]}`), &p); err != nil {
		t.Fatal(err)
	}
	if p.Status != "alive" || p.ID != "r1" || p.Address == nil || p.Address.Street != "Jl. Sudirman" || p.Count != 7 || len(p.Tags) != 1 {
		t.Fatalf("decoded %+v", p)
	}
}

func TestDecodeReaders(t *testing.T) {
	big := httptest.NewRequest("POST", "/", strings.NewReader(`{"status":"`+strings.Repeat("a", 100)+`"}`))
	body := http.MaxBytesReader(httptest.NewRecorder(), big.Body, 10)
	var p person
	var e *Error
	if err := Decode(body, &p); !errors.As(err, &e) || e.Code != "body_too_large" || e.Status != http.StatusRequestEntityTooLarge {
		t.Fatalf("over the limit: got %v", err)
	}
	p.Status = "kept"
	if err := DecodeOptional(strings.NewReader(" \n"), &p); err != nil || p.Status != "kept" {
		t.Fatalf("empty optional body: %v, %+v", err, p)
	}
	if err := DecodeOptional(strings.NewReader(`{"Status":"x"}`), &p); !errors.As(err, &e) || e.Code != "unknown_field" {
		t.Fatalf("optional body is still strict: got %v", err)
	}
	if err := DecodeBytes([]byte(`{}`), p); err == nil || errors.As(err, &e) {
		t.Fatalf("a non-pointer target must be a programming error, got %v", err)
	}
}

func TestUnknownFieldNamesTheFoldedField(t *testing.T) {
	var p person
	err := DecodeBytes([]byte(`{"ſtatus":"dead"}`), &p)
	if err == nil || !strings.Contains(err.Error(), `did you mean "status"`) {
		t.Fatalf("got %v", err)
	}
}
