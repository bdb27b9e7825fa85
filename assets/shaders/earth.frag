#version 150
// Blue Marble by day, dark by night, soft terminator and a blue haze towards the limb.
uniform sampler2D p3d_Texture0;
uniform vec3 sun_dir;   // unit, scene frame
uniform vec3 cam_pos;   // scene frame
in vec3 v_nworld;
in vec3 v_pworld;
in vec2 v_uv;
out vec4 frag;
void main() {
  vec3 N = normalize(v_nworld);
  vec3 V = normalize(cam_pos - v_pworld);
  float ndl = dot(N, sun_dir);
  float day = smoothstep(-0.10, 0.10, ndl);            // ~ 12 deg wide twilight band
  vec3 tex = texture(p3d_Texture0, v_uv).rgb;
  vec3 lit = tex * (0.05 + 1.15 * max(ndl, 0.0));
  vec3 night = tex * vec3(0.015, 0.02, 0.035);          // the night side is dark, not black
  vec3 col = mix(night, lit, day);
  float r1 = 1.0 - max(dot(N, V), 0.0);
  float rim = r1 * r1 * r1;                             // pow(r1, 3) without exp2/log2 (llvmpipe)
  col += vec3(0.30, 0.55, 1.0) * rim * smoothstep(-0.2, 0.4, ndl) * 0.6;
  frag = vec4(col, 1.0);
}
