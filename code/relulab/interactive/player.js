// The website player of relulab.interactive (shipped as package data, inlined once per figure).
// It reads the figure's JSON, un-hides the controls and, on every "input" or "change" event of a
// range input (mouse drag, click, keyboard), shows the frame of the current grid point and names
// the values in the image's alt text. ES5 only, no globals; __UID__ is replaced by the figure's id.
(function(){
var root=document.getElementById("__UID__");if(!root||root.dataset.ready)return;root.dataset.ready="1";
var d=JSON.parse(document.getElementById("__UID__-data").textContent);
var img=document.getElementById("__UID__-img");var box=root.querySelector(".relulab-if-controls");
var ins=[],outs=[],i;
for(i=0;i<d.shape.length;i++){ins.push(document.getElementById("__UID__-c"+i));outs.push(document.getElementById("__UID__-c"+i+"-out"));}
function show(){var k=0,parts=[];for(var j=0;j<ins.length;j++){var v=parseInt(ins[j].value,10);k=k*d.shape[j]+v;
var t=d.text[j][v];outs[j].value=t;outs[j].textContent=t;ins[j].setAttribute("aria-valuetext",t);parts.push(d.labels[j]+" = "+t);}
img.src="data:image/webp;base64,"+d.frames[d.index[k]];img.alt=d.alt+" ("+parts.join(", ")+")";}
for(i=0;i<ins.length;i++){ins[i].addEventListener("input",show);ins[i].addEventListener("change",show);}
box.hidden=false;show();
})();
