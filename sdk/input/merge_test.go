package input

import (
	"encoding/json"
	"reflect"
	"testing"
)

func TestMergePatch(t *testing.T) {
	for _, c := range []struct{ target, patch, want string }{
		{`{"a":1}`, `{"b":2}`, `{"a":1,"b":2}`},
		{`{"a":1,"b":2}`, `{"a":null}`, `{"b":2}`},
		{`{"s":{"name":"X","nip":"1"}}`, `{"s":{"name":"Y"}}`, `{"s":{"name":"Y","nip":"1"}}`},
		{`{"l":["a","b"]}`, `{"l":["c"]}`, `{"l":["c"]}`},
		{`{"t":{"sktm":{"body":"x"}}}`, `{"t":{"sktm":null}}`, `{"t":{}}`},
		{`{}`, `{"a":{"b":null}}`, `{"a":{}}`},
	} {
		var target, patch, want any
		json.Unmarshal([]byte(c.target), &target)
		json.Unmarshal([]byte(c.patch), &patch)
		json.Unmarshal([]byte(c.want), &want)
		if got := MergePatch(target, patch); !reflect.DeepEqual(got, want) {
			t.Errorf("merge %s with %s = %v, want %s", c.target, c.patch, got, c.want)
		}
	}
}
