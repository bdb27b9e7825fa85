#version 150
// Station: per-pixel sunlight with one shadow map (panda3d_notes.md section 2: the auto-shader
// fails on offscreen EGL, so we write our own GLSL 150 shader).
uniform mat4 p3d_ModelViewProjectionMatrix;
uniform mat4 p3d_ModelViewMatrix;
uniform mat3 p3d_NormalMatrix;
uniform mat4 p3d_ViewMatrix;
uniform vec3 earth_dir_world;  // unit vector towards the sunlit ground below, scene frame
uniform struct p3d_LightSourceParameters {
  vec4 color; vec4 position; sampler2DShadow shadowMap; mat4 shadowViewMatrix;
} p3d_LightSource[1];
in vec4 p3d_Vertex;
in vec3 p3d_Normal;
in vec4 p3d_Color;
out vec3 v_normal;
out vec3 v_pos;
out vec4 v_color;
out vec4 v_shadow;
out vec3 v_earth_dir;
void main() {
  vec4 vpos = p3d_ModelViewMatrix * p3d_Vertex;
  v_pos = vpos.xyz;
  v_normal = normalize(p3d_NormalMatrix * p3d_Normal);
  v_color = p3d_Color;
  v_shadow = p3d_LightSource[0].shadowViewMatrix * vpos;   // view space -> shadow map space
  v_earth_dir = normalize(mat3(p3d_ViewMatrix) * earth_dir_world);   // same for every vertex
  gl_Position = p3d_ModelViewProjectionMatrix * p3d_Vertex;
}
