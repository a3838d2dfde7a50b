package nearby

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// ErrInvalid reports a malformed location or stock list.
var ErrInvalid = errors.New("invalid")

// Point is a place on Earth in decimal degrees.
type Point struct {
	Lat, Lon float64
}

// ParsePoint parses "LAT,LON" in decimal degrees, such as "48.8661,2.3076".
func ParsePoint(s string) (Point, error) {
	latText, lonText, ok := strings.Cut(s, ",")
	if !ok {
		return Point{}, fmt.Errorf("%w: location %q: want LAT,LON in decimal degrees",
			ErrInvalid, s)
	}
	lat, errLat := strconv.ParseFloat(strings.TrimSpace(latText), 64)
	lon, errLon := strconv.ParseFloat(strings.TrimSpace(lonText), 64)
	if errLat != nil || errLon != nil {
		return Point{}, fmt.Errorf("%w: location %q: want LAT,LON in decimal degrees",
			ErrInvalid, s)
	}
	if !(lat >= -90 && lat <= 90) || !(lon >= -180 && lon <= 180) {
		return Point{}, fmt.Errorf("%w: location %q: latitude must be within ±90 and "+
			"longitude within ±180", ErrInvalid, s)
	}
	return Point{Lat: lat, Lon: lon}, nil
}

// String formats p as ParsePoint reads it.
func (p Point) String() string {
	return strconv.FormatFloat(p.Lat, 'f', -1, 64) + "," +
		strconv.FormatFloat(p.Lon, 'f', -1, 64)
}

// earthRadiusKm is the mean radius of the Earth.
const earthRadiusKm = 6371.0088

// Distance returns the great-circle distance between a and b in kilometres, by the
// haversine formula: within 0.5% of the distance on the ellipsoid.
func Distance(a, b Point) float64 {
	rad := func(deg float64) float64 { return deg * math.Pi / 180 }
	dLat, dLon := rad(b.Lat-a.Lat), rad(b.Lon-a.Lon)
	h := math.Sin(dLat/2)*math.Sin(dLat/2) +
		math.Cos(rad(a.Lat))*math.Cos(rad(b.Lat))*math.Sin(dLon/2)*math.Sin(dLon/2)
	return 2 * earthRadiusKm * math.Asin(math.Sqrt(min(1, h)))
}
