import numpy as np
def cum(y,u,t):
    o=np.argsort(u,kind="mergesort")[::-1]; y,u,t=y[o],u[o],t[o]
    yc=y.copy(); yc[t==1]=0; yt=y.copy(); yt[t==0]=0
    th=np.r_[np.where(np.diff(u))[0], u.size-1]
    nT=np.cumsum(t)[th]; YT=np.cumsum(yt)[th]; N=th+1; NC=N-nT; YC=np.cumsum(yc)[th]
    return nT.astype(float),YT.astype(float),N,NC.astype(float),YC.astype(float)
def uc(y,u,t):
    nT,YT,N,NC,YC=cum(y,u,t)
    v=(np.divide(YT,nT,out=np.zeros_like(YT),where=nT!=0)-np.divide(YC,NC,out=np.zeros_like(YC),where=NC!=0))*N
    if v[0]!=0 or N[0]!=0: N=np.r_[0,N]; v=np.r_[0,v]
    return N,v
def qc(y,u,t):
    nT,YT,N,NC,YC=cum(y,u,t)
    v=YT-YC*np.divide(nT,NC,out=np.zeros_like(nT),where=NC!=0)
    if v[0]!=0 or N[0]!=0: N=np.r_[0,N]; v=np.r_[0,v]
    return N,v
def pu(y,t):
    cr=np.sum((y==1)&(t==0)); tn=np.sum((y==0)&(t==1))
    s=y if cr>tn else t
    return uc(y,2*(y==t)+s,t)
def pq(y,t): return qc(y,y*t-y*(1-t),t)
def auc(x,y): return np.trapezoid(y,x)
def norm(a,p):
    b=auc(np.array([0,p[0][-1]]),np.array([0,p[1][-1]]))
    return (auc(*a)-b)/(auc(*p)-b)
y=np.array([1,0,1,1,0,0,1,0]); t=np.array([1,1,0,1,0,1,0,0]); s=np.array([0.9,0.5,0.5,0.7,0.5,0.2,0.2,0.1])
print(uc(y,s,t)); print(qc(y,s,t)); print(pu(y,t)); print(pq(y,t))
print(norm(uc(y,s,t),pu(y,t)), norm(qc(y,s,t),pq(y,t)))
o=np.argsort(s,kind='mergesort')[::-1]; print(o)
def atk(k):
    n=int(8*k) if isinstance(k,float) else k
    return y[o][:n][t[o][:n]==1].mean()-y[o][:n][t[o][:n]==0].mean()
print(atk(0.5),atk(3))
print(y[o][t[o]==1][:2].mean()-y[o][t[o]==0][:2].mean())
rng=np.random.default_rng(0); n=1000
Y=rng.integers(0,2,n); T=rng.integers(0,2,n); S=np.round(rng.random(n),2)
print(repr(norm(uc(Y,S,T),pu(Y,T))), repr(norm(qc(Y,S,T),pq(Y,T))), repr(auc(*qc(Y,S,T))))
np.savetxt('/tmp/rand.csv', np.c_[Y,T,S], delimiter=',', fmt=['%d','%d','%.2f'])
