// Registers every op family's GPU lowering and shaders (each file registers itself).
import "./geometry.js";
import "./color.js";
import "./convert.js";
import "./warp.js";
import "./misc.js";
import "./jpeg.js";
import "./augmix.js";
import "./host.js";
