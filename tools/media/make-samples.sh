#!/usr/bin/env bash
# Generate the bundled sample videos in media/ (repository root).
#
#   media/sample-faststart.mp4  H.264 + AAC, moov box before mdat (-movflags +faststart)
#   media/sample-moov-end.mp4   the very same streams, moov box after mdat (plain mux)
#   media/sample.webm           VP9 + Opus
#
# All: 60 s, 640x360, 30 fps, keyframe every 2 s (60 frames), testsrc2 pattern with a
# large burnt-in timecode + frame counter, 440 Hz beep once per second (48 kHz).
#
# Usage: npm run samples   (or: bash tools/media/make-samples.sh)
# Needs Debian's ffmpeg (libx264, libvpx-vp9, libopus, drawtext/freetype) and the
# DejaVu fonts. The outputs are committed, so normally nobody needs to run this.
set -euo pipefail

if ! command -v ffmpeg >/dev/null 2>&1 || ! command -v ffprobe >/dev/null 2>&1; then
  echo "make-samples: ffmpeg/ffprobe not found; install it with: sudo apt-get install -y ffmpeg" >&2
  exit 1
fi

FONT="${SAMPLES_FONT:-/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf}"
if [[ ! -r "$FONT" ]]; then
  echo "make-samples: font $FONT not found; install it with: sudo apt-get install -y fonts-dejavu-core (or set SAMPLES_FONT)" >&2
  exit 1
fi

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="$ROOT/media"
mkdir -p "$OUT"

TMP="$(mktemp -d "${TMPDIR:-/tmp}/chunkwise-samples.XXXXXX")"
trap 'rm -rf "$TMP"' EXIT

DURATION=60
SIZE=640x360
FPS=30
GOP=60 # keyframe every 2 s

# Video source: test pattern + big timecode (HH:MM:SS.mmm) and frame number.
# $1 = label shown in the bottom-left corner (codec names).
video_filter() {
  local label="$1"
  local common="fontfile=${FONT}:fontcolor=white:box=1:boxcolor=black@0.65:boxborderw=10"
  printf '%s' "testsrc2=size=${SIZE}:rate=${FPS}:duration=${DURATION},format=yuv420p,"
  printf '%s' "drawtext=${common}:fontsize=56:x=(w-text_w)/2:y=40:text='%{pts\\:hms}',"
  printf '%s' "drawtext=${common}:fontsize=48:x=(w-text_w)/2:y=130:text='frame %{frame_num}',"
  printf '%s' "drawtext=${common}:fontsize=22:x=16:y=h-text_h-16:text='${label}'"
}
AUDIO_SRC="sine=frequency=440:beep_factor=4:sample_rate=48000:duration=${DURATION}"

# Flags shared by all encodes: reproducible output, no metadata/chapters.
# Determinism also needs single-threaded video encoders: multi-threaded x264 with
# VBV and libvpx row-mt both produce slightly different bitstreams run to run.
COMMON=(-hide_banner -loglevel error -nostdin -y)
BITEXACT=(-fflags +bitexact -flags:v +bitexact -flags:a +bitexact -map_metadata -1 -map_chapters -1)

echo "make-samples: encoding H.264/AAC -> sample-moov-end.mp4"
ffmpeg "${COMMON[@]}" \
  -f lavfi -i "$(video_filter 'H.264 + AAC')" \
  -f lavfi -i "$AUDIO_SRC" \
  -map 0:v:0 -map 1:a:0 \
  -c:v libx264 -threads 1 -preset medium -profile:v high -level:v 3.1 -pix_fmt yuv420p \
  -b:v 400k -maxrate 500k -bufsize 1000k \
  -g "$GOP" -keyint_min "$GOP" -sc_threshold 0 \
  -c:a aac -b:a 64k -ac 2 -ar 48000 \
  "${BITEXACT[@]}" \
  -t "$DURATION" \
  "$TMP/sample-moov-end.mp4"

# Same streams, remuxed with the moov box moved to the front.
echo "make-samples: remuxing -> sample-faststart.mp4"
ffmpeg "${COMMON[@]}" \
  -i "$TMP/sample-moov-end.mp4" \
  -map 0 -c copy \
  "${BITEXACT[@]}" \
  -movflags +faststart \
  "$TMP/sample-faststart.mp4"

echo "make-samples: encoding VP9/Opus -> sample.webm"
ffmpeg "${COMMON[@]}" \
  -f lavfi -i "$(video_filter 'VP9 + Opus')" \
  -f lavfi -i "$AUDIO_SRC" \
  -map 0:v:0 -map 1:a:0 \
  -c:v libvpx-vp9 -threads 1 -row-mt 0 -deadline realtime -cpu-used 8 -pix_fmt yuv420p \
  -b:v 350k -maxrate 500k -bufsize 1000k \
  -g "$GOP" -keyint_min "$GOP" \
  -c:a libopus -b:a 64k -ac 2 -ar 48000 \
  "${BITEXACT[@]}" \
  -t "$DURATION" \
  "$TMP/sample.webm"

# Print the top-level ISO-BMFF boxes of an MP4 as "type@offset" (pure bash + od).
top_level_boxes() {
  local file="$1" size off=0 total hdr type
  total=$(wc -c <"$file")
  local out=()
  while ((off + 8 <= total)); do
    read -r -a hdr < <(od -An -tu1 -j "$off" -N 8 "$file")
    size=$(( (hdr[0] << 24) | (hdr[1] << 16) | (hdr[2] << 8) | hdr[3] ))
    type=$(printf "\\$(printf '%03o' "${hdr[4]}")\\$(printf '%03o' "${hdr[5]}")\\$(printf '%03o' "${hdr[6]}")\\$(printf '%03o' "${hdr[7]}")")
    if ((size == 1)); then # 64-bit largesize
      read -r -a hdr < <(od -An -tu1 -j "$((off + 8))" -N 8 "$file")
      size=0
      for b in "${hdr[@]}"; do size=$(( (size << 8) | b )); done
    elif ((size == 0)); then
      size=$((total - off))
    fi
    out+=("${type}@${off}")
    ((size >= 8)) || { echo "bad box at $off" >&2; return 1; }
    off=$((off + size))
  done
  echo "${out[*]}"
}

# Sanity checks before replacing the committed files.
check_order() { # file, expected first of (moov|mdat)
  local boxes first
  boxes=$(top_level_boxes "$1")
  first=$(tr ' ' '\n' <<<"$boxes" | grep -oE '^(moov|mdat)' | head -n1)
  echo "make-samples: $(basename "$1"): $boxes"
  if [[ "$first" != "$2" ]]; then
    echo "make-samples: expected $2 first in $(basename "$1")" >&2
    exit 1
  fi
}
check_order "$TMP/sample-faststart.mp4" moov
check_order "$TMP/sample-moov-end.mp4" mdat

for f in sample-faststart.mp4 sample-moov-end.mp4 sample.webm; do
  mv -f "$TMP/$f" "$OUT/$f"
  codecs=$(ffprobe -v error -show_entries stream=codec_name -of csv=p=0 "$OUT/$f" | paste -sd+ -)
  dims=$(ffprobe -v error -select_streams v:0 -show_entries stream=width,height -of csv=s=x:p=0 "$OUT/$f")
  dur=$(ffprobe -v error -show_entries format=duration -of csv=p=0 "$OUT/$f")
  echo "make-samples: wrote media/$f: $(wc -c <"$OUT/$f") bytes, ${dur}s, $codecs, $dims"
done
