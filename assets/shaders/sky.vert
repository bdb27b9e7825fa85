#version 150
// Earth and atmosphere: world-space normal and position (world = the scene frame).
uniform mat4 p3d_ModelViewProjectionMatrix;
uniform mat4 p3d_ModelMatrix;
in vec4 p3d_Vertex;
in vec3 p3d_Normal;
in vec2 p3d_MultiTexCoord0;
out vec3 v_nworld;
out vec3 v_pworld;
out vec2 v_uv;
void main() {
  v_pworld = (p3d_ModelMatrix * p3d_Vertex).xyz;
  v_nworld = normalize(mat3(p3d_ModelMatrix) * p3d_Normal);
  v_uv = p3d_MultiTexCoord0;
  gl_Position = p3d_ModelViewProjectionMatrix * p3d_Vertex;
}
