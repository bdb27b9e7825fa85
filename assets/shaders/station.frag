#version 150
uniform struct p3d_LightSourceParameters {
  vec4 color; vec4 position; sampler2DShadow shadowMap; mat4 shadowViewMatrix;
} p3d_LightSource[1];
uniform vec3 ambient;          // faint fill so shadowed faces keep their shape
uniform vec3 earthshine;       // sunlight reflected by the Earth on a plate facing it (render/earthshine.py)
in vec3 v_normal;
in vec3 v_pos;
in vec4 v_color;
in vec4 v_shadow;
in vec3 v_earth_dir;           // unit vector towards the sunlit ground below, view space
out vec4 frag;
void main() {
  vec3 N = normalize(v_normal);
  if (!gl_FrontFacing) N = -N;                 // thin arrays are lit on both sides
  vec3 L = normalize(p3d_LightSource[0].position.xyz);
  vec3 V = normalize(-v_pos);
  vec3 E = v_earth_dir;                        // constant per frame: turned to view space per vertex
  float ndl = max(dot(N, L), 0.0);
  vec4 sc = v_shadow;
  sc.z -= 0.002 * sc.w;                        // bias against shadow acne
  vec3 p = sc.xyz / sc.w;
  float sh = 1.0;
  if (all(greaterThan(p, vec3(0.0))) && all(lessThan(p, vec3(1.0))))
    sh = textureProj(p3d_LightSource[0].shadowMap, sc);   // hardware 2x2 PCF
  float r1 = max(dot(reflect(-L, N), V), 0.0);
  float r2 = r1 * r1, r8 = r2 * r2; r8 *= r8;
  float spec = r8 * r8 * r8 * 0.25 * v_color.a;      // r1^24 by multiplication (no exp2/log2 per pixel)
  vec3 sun = p3d_LightSource[0].color.rgb * sh;
  // the Earth's disc is ~140 deg wide from orbit: faces tilted 90 deg from it still get ~1/3
  float ne = pow(0.5 + 0.5 * dot(N, E), 1.6);
  vec3 col = v_color.rgb * (ambient + earthshine * ne + sun * ndl)
           + sun * spec * step(0.0, dot(N, L));
  frag = vec4(col, 1.0);
}
