package records

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/balaidesa/balai/sdk/input"
	pb "github.com/balaidesa/balai/sdk/proto/pluginv1"
)

// maxStringBytes bounds one string field; bigger data belongs in files.
const maxStringBytes = 64 << 10

const timeLayout = "2006-01-02T15:04:05.000000Z"

// invalid is a record that does not fit its collection. With misuse set it
// is the plugin's own mistake (an undeclared field, a value of a type the
// field does not take, an operator that does not exist), which no client
// input should reach: the plugin answers it 500 and logs it (code
// plugin_error). Without, it is what a client sent and the plugin passed
// on (a required field left out, a text too long or not valid text): 422.
type invalid struct {
	msg    string
	misuse bool
}

func (e *invalid) Error() string { return e.msg }

func invalidf(format string, args ...any) error { return &invalid{msg: fmt.Sprintf(format, args...)} }

// misusef is invalidf for the plugin's own mistakes.
func misusef(format string, args ...any) error {
	return &invalid{msg: fmt.Sprintf(format, args...), misuse: true}
}

// decodeObject parses a JSON object, keeping numbers exact. Invalid UTF-8
// is refused rather than quietly replaced by U+FFFD as encoding/json
// would: a record stores what its plugin sent, or nothing.
func decodeObject(data []byte) (map[string]any, error) {
	if !utf8.Valid(data) {
		return nil, invalidf("a record must be valid UTF-8")
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil || m == nil {
		return nil, misusef("a record must be a JSON object")
	}
	return m, nil
}

// toColumn converts a JSON value to what the field's column stores.
func toColumn(f *pb.Field, v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	switch f.Type {
	case pb.FieldType_FIELD_TYPE_STRING:
		s, ok := v.(string)
		if !ok {
			return nil, misusef("field %s must be a string", f.Name)
		}
		// A storage bound, hence in bytes; the plugins' own limits are in
		// characters.
		if len(s) > maxStringBytes {
			return nil, invalidf("field %s is longer than %d bytes", f.Name, maxStringBytes)
		}
		if err := input.Clean(s); err != nil {
			return nil, invalidf("field %s %v", f.Name, err)
		}
		return s, nil
	case pb.FieldType_FIELD_TYPE_INT:
		n, ok := v.(json.Number)
		if !ok {
			return nil, misusef("field %s must be a whole number", f.Name)
		}
		i, err := n.Int64()
		if err != nil {
			return nil, misusef("field %s must be a whole number", f.Name)
		}
		return i, nil
	case pb.FieldType_FIELD_TYPE_FLOAT:
		n, ok := v.(json.Number)
		if !ok {
			return nil, misusef("field %s must be a number", f.Name)
		}
		x, err := n.Float64()
		if err != nil {
			return nil, misusef("field %s must be a number", f.Name)
		}
		return x, nil
	case pb.FieldType_FIELD_TYPE_BOOL:
		b, ok := v.(bool)
		if !ok {
			return nil, misusef("field %s must be true or false", f.Name)
		}
		return b, nil
	case pb.FieldType_FIELD_TYPE_DATE:
		s, ok := v.(string)
		if !ok {
			return nil, misusef("field %s must be a date YYYY-MM-DD", f.Name)
		}
		if _, err := time.Parse(time.DateOnly, s); err != nil {
			return nil, misusef("field %s must be a date YYYY-MM-DD", f.Name)
		}
		return s, nil
	case pb.FieldType_FIELD_TYPE_TIME:
		s, ok := v.(string)
		if !ok {
			return nil, misusef("field %s must be an RFC 3339 time", f.Name)
		}
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			return nil, misusef("field %s must be an RFC 3339 time", f.Name)
		}
		return t.UTC().Format(timeLayout), nil
	case pb.FieldType_FIELD_TYPE_JSON:
		if err := cleanValue(f.Name, v); err != nil {
			return nil, err
		}
		b, err := json.Marshal(v)
		if err != nil {
			return nil, invalidf("field %s: %v", f.Name, err)
		}
		return string(b), nil
	}
	return nil, misusef("field %s has an unknown type", f.Name)
}

// cleanValue refuses a decoded JSON value (or a filter's operand) holding
// a string or key with a NUL or invalid UTF-8, for every plugin alike:
// PostgreSQL refuses such text with an error the caller would see as a
// 500, and SQLite would store it as it is. field names the value in the
// error.
func cleanValue(field string, v any) error {
	switch v := v.(type) {
	case string:
		if err := input.Clean(v); err != nil {
			return invalidf("field %s %v", field, err)
		}
	case []any:
		for _, x := range v {
			if err := cleanValue(field, x); err != nil {
				return err
			}
		}
	case map[string]any:
		for k, x := range v {
			if err := input.Clean(k); err != nil {
				return invalidf("a key of field %s %v", field, err)
			}
			if err := cleanValue(field, x); err != nil {
				return err
			}
		}
	}
	return nil
}

// scanTarget returns a destination for a column of type t.
func scanTarget(t pb.FieldType) any {
	switch t {
	case pb.FieldType_FIELD_TYPE_INT:
		return new(sql.NullInt64)
	case pb.FieldType_FIELD_TYPE_FLOAT:
		return new(sql.NullFloat64)
	case pb.FieldType_FIELD_TYPE_BOOL:
		return new(sql.NullBool)
	default:
		return new(sql.NullString)
	}
}

// fromScan turns a scanned column back into its JSON value.
func fromScan(t pb.FieldType, dst any) (any, bool) {
	switch d := dst.(type) {
	case *sql.NullInt64:
		return d.Int64, d.Valid
	case *sql.NullFloat64:
		return d.Float64, d.Valid
	case *sql.NullBool:
		return d.Bool, d.Valid
	case *sql.NullString:
		if !d.Valid {
			return nil, false
		}
		if t == pb.FieldType_FIELD_TYPE_JSON {
			return json.RawMessage(d.String), true
		}
		if t == pb.FieldType_FIELD_TYPE_TIME {
			if tm, err := time.Parse(timeLayout, d.String); err == nil {
				return tm.Format(time.RFC3339Nano), true
			}
		}
		return d.String, true
	}
	return nil, false
}

// likeEscape escapes LIKE wildcards in user input (used with ESCAPE '\').
func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}
