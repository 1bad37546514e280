package config

import (
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"
)

// envPrefix starts every override variable: VVGINTAKE_<SECTION>_<KEY>.
const envPrefix = "VVGINTAKE_"

// applyEnv overrides scalar keys of the table sections from the
// environment; an environment variable wins over the file. Lists take
// comma-separated values. Arrays of tables (measures, consultations) have
// no overrides. A variable that names a section but no key of it is an
// error, and so is one whose section looks misspelt (VVGINTAKE_SMPT_HOST);
// other VVGINTAKE_ variables are not settings (VVGINTAKE_CONFIG names the
// file) and are left alone.
func applyEnv(cfg *Config, env []string) []string {
	known := map[string]reflect.Value{}
	sections := map[string]bool{}
	v := reflect.ValueOf(cfg).Elem()
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		sec := t.Field(i)
		tag := tomlName(sec)
		if tag == "" || sec.Type.Kind() != reflect.Struct {
			continue
		}
		sections[strings.ToUpper(tag)] = true
		addFields(known, envPrefix+strings.ToUpper(tag)+"_", v.Field(i))
	}
	var problems []string
	for _, kv := range env {
		name, val, ok := strings.Cut(kv, "=")
		if !ok || !strings.HasPrefix(name, envPrefix) {
			continue
		}
		fv, ok := known[name]
		if !ok {
			sec, _, _ := strings.Cut(strings.TrimPrefix(name, envPrefix), "_")
			switch {
			case sections[sec]:
				problems = append(problems, fmt.Sprintf("environment %s: no such setting", name))
			case nearSection(sec, sections) != "":
				problems = append(problems, fmt.Sprintf("environment %s: no such setting (did you mean %s%s_…?)",
					name, envPrefix, nearSection(sec, sections)))
			}
			continue
		}
		if err := setFromString(fv, val); err != nil {
			problems = append(problems, fmt.Sprintf("environment %s: %v", name, err))
		}
	}
	return problems
}

// addFields maps the keys of one section, including those of embedded
// structs (Credentials), to their variables.
func addFields(known map[string]reflect.Value, prefix string, sv reflect.Value) {
	t := sv.Type()
	for j := 0; j < t.NumField(); j++ {
		f := t.Field(j)
		if f.Anonymous && f.Type.Kind() == reflect.Struct {
			addFields(known, prefix, sv.Field(j))
			continue
		}
		if k := tomlName(f); k != "" {
			known[prefix+strings.ToUpper(k)] = sv.Field(j)
		}
	}
}

func tomlName(f reflect.StructField) string {
	name, _, _ := strings.Cut(f.Tag.Get("toml"), ",")
	return name
}

func setFromString(v reflect.Value, s string) error {
	if u, ok := v.Addr().Interface().(interface{ UnmarshalText([]byte) error }); ok {
		return u.UnmarshalText([]byte(s))
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString(s)
	case reflect.Bool:
		b, err := strconv.ParseBool(s)
		if err != nil {
			return fmt.Errorf("want true or false, got %q", s)
		}
		v.SetBool(b)
	case reflect.Int, reflect.Int64:
		if v.Type() == reflect.TypeOf(time.Duration(0)) {
			d, err := time.ParseDuration(s)
			if err != nil {
				return err
			}
			v.SetInt(int64(d))
			return nil
		}
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return fmt.Errorf("want a whole number, got %q", s)
		}
		v.SetInt(n)
	case reflect.Float64:
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return fmt.Errorf("want a number, got %q", s)
		}
		v.SetFloat(f)
	case reflect.Slice:
		if v.Type().Elem().Kind() != reflect.String {
			return fmt.Errorf("cannot be set from the environment")
		}
		var parts []string
		for _, p := range strings.Split(s, ",") {
			if p = strings.TrimSpace(p); p != "" {
				parts = append(parts, p)
			}
		}
		v.Set(reflect.ValueOf(parts))
	default:
		return fmt.Errorf("cannot be set from the environment")
	}
	return nil
}

// nearSection returns the section sec looks like a misspelling of, or "".
// Short words are left alone: too many unrelated VVGINTAKE_ variables are
// one edit from LOG.
func nearSection(sec string, sections map[string]bool) string {
	if len(sec) < 4 {
		return ""
	}
	return Nearest(sec, slices.Sorted(maps.Keys(sections)))
}
